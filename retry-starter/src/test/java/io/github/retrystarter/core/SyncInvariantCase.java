package io.github.retrystarter.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import io.github.retrystarter.core.InvariantScenario.Fatal;
import io.github.retrystarter.core.InvariantScenario.Kind;
import io.github.retrystarter.core.InvariantScenario.Permanent;
import io.github.retrystarter.core.InvariantScenario.Step;
import io.github.retrystarter.core.InvariantScenario.Temporary;
import io.github.retrystarter.core.InvariantScenario.ThrowingListener;
import io.github.retrystarter.core.support.ManualScheduler;
import io.github.retrystarter.core.support.RecordingListener;
import io.github.retrystarter.core.support.RecordingListener.Ending;
import io.github.retrystarter.core.support.RecordingListener.Failure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a scenario through the synchronous loop: each attempt takes its step's time on a
 * virtual clock, and the sleeper moves that clock, closing the retrier or interrupting the
 * caller when the scenario's time for it comes. The cancel time serves as the interrupt.
 */
final class SyncInvariantCase {

    final InvariantScenario scenario;
    final RecordingListener listener = new RecordingListener();
    final Retrier retrier;
    final RetryPolicy policy;
    final List<Long> callTimes = new ArrayList<>();
    final List<Long> sleeps = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    long now;
    String stoppedBy;

    SyncInvariantCase(InvariantScenario scenario) {
        this.scenario = scenario;
        Random draws = new Random(scenario.drawSeed());
        Retrier.Builder builder = Retrier.builder().scheduler(new ManualScheduler())
                .executor(task -> {
                    throw new AssertionError("a synchronous call used the executor");
                }).listener(listener).random(draws::nextDouble).sleeper(this::sleep)
                .clock(() -> TimeUnit.MILLISECONDS.toNanos(now));
        if (scenario.throwingListener()) {
            builder.listener(new ThrowingListener());
        }
        this.retrier = builder.build();
        RetryBudget budget = scenario.budgetRatio() < 0 ? null : new RetryBudget(
                scenario.budgetRatio(), scenario.budgetMin(),
                () -> TimeUnit.MILLISECONDS.toNanos(now));
        this.policy = scenario.policy(budget);
    }

    private void sleep(long millis) throws InterruptedException {
        sleeps.add(millis);
        passTime(millis);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while sleeping");
        }
    }

    /** Moves the clock, acting on the close and interrupt times it passes. */
    private void passTime(long millis) {
        long until = millis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + millis;
        if (passes(scenario.closeAt(), until)) {
            stop("close");
            retrier.close();
        }
        if (passes(scenario.cancelAt(), until)) {
            stop("the interrupt");
            Thread.currentThread().interrupt();
        }
        now = until;
    }

    private boolean passes(long time, long until) {
        return time >= now && time <= until && stoppedBy == null;
    }

    private void stop(String reason) {
        stoppedBy = reason;
    }

    private String attempt() throws Exception {
        int index = callTimes.size();
        callTimes.add(now);
        if (stoppedBy != null) {
            violations.add("attempt " + (index + 1) + " made after " + stoppedBy);
        }
        Step step = scenario.step(index);
        passTime(step.after());
        String attempt = "attempt " + (index + 1);
        return switch (step.kind()) {
            case VALUE -> "value of " + attempt;
            case NULL -> null;
            case RETRYABLE, THROWN -> throw new Temporary(attempt);
            case NON_RETRYABLE -> throw new Permanent(attempt);
            case ERROR -> throw new Fatal(attempt);
            case NEVER -> throw new InterruptedException(attempt + " was interrupted");
            case ATTEMPT_CANCELLED -> throw new CancellationException(attempt);
        };
    }

    void runAndCheck() {
        Object value;
        Throwable thrown = null;
        try {
            value = retrier.call(policy, this::attempt);
        }
        catch (Throwable failure) {
            value = null;
            thrown = failure;
        }
        boolean interruptedAfter = Thread.interrupted();
        int calls = callTimes.size();
        Ending ending = listener.onlyEnding();
        assertThat(violations).isEmpty();
        assertThat(calls).as("calls").isBetween(1, scenario.attempts());
        assertThat(ending.attempts()).as("attempts heard").isEqualTo(calls);
        assertThat(sleeps).as("sleeps").hasSizeBetween(calls - 1, calls);
        for (int k = 0; k < sleeps.size(); k++) {
            assertThat(sleeps.get(k)).as("sleep %d", k + 1).isBetween(0L,
                    policy.backoff().ceilingMillis(k + 1));
        }
        for (int k = 1; k < calls; k++) {
            Failure failure = listener.failures().get(k - 1);
            assertThat(failure.error()).as("error retried after attempt %d", k)
                    .matches(scenario::retryableWhenThrown, "is retryable");
            if (scenario.deadline() > 0 && scenario.deadline() < Long.MAX_VALUE) {
                assertThat(callTimes.get(k)).as("start of attempt %d", k + 1)
                        .isLessThanOrEqualTo(scenario.deadline());
            }
        }
        Outcome outcome = ending.outcome();
        if (thrown == null) {
            assertThat(outcome).isEqualTo(calls == 1 ? Outcome.SUCCESS
                    : Outcome.RECOVERED);
            assertThat(value).isEqualTo(scenario.step(calls - 1).kind() == Kind.NULL
                    ? null : "value of attempt " + calls);
            return;
        }
        assertThat(ending.error()).as("the error heard is the one thrown").isSameAs(thrown);
        for (Failure earlier : listener.failures()) {
            if (earlier.error() != thrown) {
                assertThat(thrown.getSuppressed()).as("earlier failures attached")
                        .contains(earlier.error());
            }
        }
        boolean interruptedAttempt = thrown instanceof InterruptedException;
        if (interruptedAttempt || "the interrupt".equals(stoppedBy)
                && outcome == Outcome.ABORTED && scenario.retryableWhenThrown(thrown)) {
            assertThat(interruptedAfter || interruptedAttempt)
                    .as("the interrupt flag is kept").isTrue();
        }
        switch (outcome) {
            case EXHAUSTED -> assertThat(calls == scenario.attempts()
                    || scenario.deadline() > 0).as("exhausted: attempts or deadline")
                    .isTrue();
            case THROTTLED -> assertThat(policy.budget()).isNotNull();
            case ABORTED -> assertThat(!scenario.retryableWhenThrown(thrown)
                    || stoppedBy != null)
                    .as("aborted: not retryable, closed or interrupted").isTrue();
            default -> throw new AssertionError("unexpected " + outcome);
        }
    }
}
