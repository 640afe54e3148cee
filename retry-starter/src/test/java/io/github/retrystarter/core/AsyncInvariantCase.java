package io.github.retrystarter.core;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * Runs an {@link InvariantScenario} through the asynchronous loop on virtual time, with a
 * direct executor so that each retry runs at its timer's time, and checks every invariant.
 */
final class AsyncInvariantCase {

    final InvariantScenario scenario;
    final ManualScheduler scheduler = new ManualScheduler();
    final RecordingListener listener = new RecordingListener();
    final Retrier retrier;
    final RetryPolicy policy;
    final PriorityQueue<Event> events = new PriorityQueue<>();
    final List<Long> callTimes = new ArrayList<>();
    final List<CompletableFuture<String>> handed = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    final AtomicInteger completions = new AtomicInteger();
    String stoppedBy;
    boolean cancelledByCaller;
    boolean leftRunning;
    boolean refusing;
    int drawCount;
    CompletableFuture<String> result;
    private long eventOrder;

    AsyncInvariantCase(InvariantScenario scenario) {
        this.scenario = scenario;
        Random draws = new Random(scenario.drawSeed());
        Retrier.Builder builder = Retrier.builder().scheduler(scheduler)
                .executor(this::execute).listener(listener).random(() -> draw(draws))
                .clock(this::nanos);
        if (scenario.throwingListener()) {
            builder.listener(new ThrowingListener());
        }
        this.retrier = builder.build();
        RetryBudget budget = scenario.budgetRatio() < 0 ? null : new RetryBudget(
                scenario.budgetRatio(), scenario.budgetMin(), this::nanos);
        this.policy = scenario.policy(budget);
    }

    /** A direct executor, which refuses once the scenario's refusal time has come. */
    private void execute(Runnable task) {
        if (refusing) {
            throw new RejectedExecutionException("executor refuses, as the scenario says");
        }
        task.run();
    }

    /** A jitter draw, during which the scenario may cancel the call or close. */
    private double draw(Random draws) {
        int draw = ++drawCount;
        // a draw made inside callAsync comes before the caller holds a future to cancel
        if (draw == scenario.cancelOnDraw() && result != null) {
            stop("the caller's cancel during draw " + draw);
            cancelledByCaller = result.cancel(true);
        }
        if (draw == scenario.closeOnDraw()) {
            stop("close during draw " + draw);
            retrier.close();
        }
        return draws.nextDouble();
    }

    private long nanos() {
        return TimeUnit.MILLISECONDS.toNanos(scheduler.now());
    }

    Ending ending() {
        return listener.onlyEnding();
    }

    void runAndCheck() {
        if (scenario.refuseAt() == 0) {
            refuse();
        }
        result = retrier.callAsync(policy, this::attempt);
        result.whenComplete((value, error) -> completions.incrementAndGet());
        if (scenario.cancelAt() >= 0) {
            at(scenario.cancelAt(), () -> {
                stop("the caller's cancel");
                cancelledByCaller = result.cancel(true);
            });
        }
        if (scenario.closeAt() >= 0) {
            at(scenario.closeAt(), () -> {
                stop("close");
                retrier.close();
            });
        }
        if (scenario.refuseAt() >= 0) {
            at(scenario.refuseAt(), this::refuse);
        }
        drive();
        if (!result.isDone()) {
            leftRunning = true;
            checkLeftRunningOnlyByAnAttemptThatNeverEnds();
            stop("the caller's final cancel");
            cancelledByCaller = result.cancel(true);
            drive();
        }
        check();
    }

    /** From now on the scheduler and the executor refuse, as when shut down. */
    private void refuse() {
        refusing = true;
        scheduler.reject(true);
    }

    private void stop(String reason) {
        if (stoppedBy == null) {
            stoppedBy = reason;
        }
    }

    private CompletionStage<String> attempt() {
        int index = callTimes.size();
        callTimes.add(scheduler.now());
        if (stoppedBy != null) {
            violations.add("attempt " + (index + 1) + " made after " + stoppedBy);
        }
        Step step = scenario.step(index);
        switch (step.kind()) {
            case THROWN:
                throw new Temporary("thrown by attempt " + (index + 1));
            case NULL:
                return null;
            default:
                break;
        }
        CompletableFuture<String> future = new CompletableFuture<>();
        if (!step.minimal()) {
            // a minimal stage cannot be cancelled: only full futures must end up done
            handed.add(future);
        }
        if (step.kind() != Kind.NEVER) {
            Runnable complete = () -> complete(future, step.kind(), index + 1);
            if (step.after() == 0) {
                complete.run();
            }
            else {
                at(scheduler.now() + step.after(), complete);
            }
        }
        return step.minimal() ? future.minimalCompletionStage() : future;
    }

    private static void complete(CompletableFuture<String> future, Kind kind, int attempt) {
        switch (kind) {
            case VALUE -> future.complete("value of attempt " + attempt);
            case RETRYABLE -> future.completeExceptionally(new Temporary("attempt "
                    + attempt));
            case NON_RETRYABLE -> future.completeExceptionally(new Permanent("attempt "
                    + attempt));
            case ERROR -> future.completeExceptionally(new Fatal("attempt " + attempt));
            case ATTEMPT_CANCELLED -> future.cancel(true);
            default -> throw new IllegalArgumentException(kind.name());
        }
    }

    private void at(long time, Runnable action) {
        events.add(new Event(time, eventOrder++, action));
    }

    /** Runs timers and test events in time order until neither is left. */
    private void drive() {
        for (int steps = 0; ; steps++) {
            assertThat(steps).as("steps of virtual time").isLessThan(10_000);
            long timer = scheduler.nextDueTime();
            Event event = events.peek();
            if (timer < 0 && event == null) {
                return;
            }
            long target = Math.min(timer < 0 ? Long.MAX_VALUE : timer,
                    event == null ? Long.MAX_VALUE : Math.max(event.time(), 0));
            scheduler.advance(Math.max(0, target - scheduler.now()));
            if (event != null && event.time() <= scheduler.now()) {
                events.remove(event);
                event.action().run();
            }
        }
    }

    private void checkLeftRunningOnlyByAnAttemptThatNeverEnds() {
        int calls = callTimes.size();
        assertThat(scenario.step(calls - 1).kind()).as("a call still running at the end"
                + " has an attempt that never ends").isEqualTo(Kind.NEVER);
        assertThat(policy.attemptTimeoutMillis()).as("and no attempt timeout, or one too"
                + " long to wait for").isIn(0L, Long.MAX_VALUE);
        assertThat(retrier.pendingRetries()).isZero();
    }

    private void check() {
        int calls = callTimes.size();
        Ending ending = ending();
        assertThat(completions).as("completions of the returned future").hasValue(1);
        assertThat(violations).isEmpty();
        assertThat(calls).as("calls").isBetween(1, scenario.attempts());
        assertThat(ending.attempts()).as("attempts heard").isEqualTo(calls);
        checkOnlyRetryableFailuresWereRetried(calls);
        checkDelays();
        checkDeadline();
        checkOutcome(ending, calls);
        assertThat(scheduler.pendingTasks()).as("timers left").isZero();
        assertThat(retrier.pendingRetries()).as("pending retries left").isZero();
        assertThat(handed).as("attempt futures left running").allMatch(
                CompletableFuture::isDone);
    }

    private void checkOnlyRetryableFailuresWereRetried(int calls) {
        List<Failure> failures = listener.failures();
        for (int attempt = 1; attempt < calls; attempt++) {
            int number = attempt;
            Failure failure = failures.stream().filter(f -> f.attempt() == number)
                    .findFirst().orElseThrow(() -> new AssertionError("attempt " + number
                            + " was followed by another, but no failure was heard"));
            assertThat(failure.delayMillis()).as("delay after attempt %d", number)
                    .isNotNegative();
            assertThat(failure.error()).as("error retried after attempt %d", number)
                    .matches(scenario::retryable, "is retryable");
        }
    }

    private void checkDelays() {
        for (Failure failure : listener.failures()) {
            long delay = failure.delayMillis();
            if (delay >= 0) {
                assertThat(delay).as("delay after attempt %d", failure.attempt())
                        .isBetween(0L, policy.backoff().ceilingMillis(failure.attempt()))
                        .isLessThanOrEqualTo(scenario.max());
            }
        }
        for (long asked : scheduler.delays()) {
            if (asked != scenario.attemptTimeout()) {
                assertThat(asked).as("delay asked of the scheduler")
                        .isBetween(0L, scenario.max());
            }
        }
    }

    private void checkDeadline() {
        long deadline = scenario.deadline();
        if (deadline == 0 || deadline == Long.MAX_VALUE) {
            return;
        }
        for (int k = 1; k < callTimes.size(); k++) {
            assertThat(callTimes.get(k)).as("start of attempt %d", k + 1)
                    .isLessThanOrEqualTo(callTimes.get(0) + deadline);
        }
    }

    private void checkOutcome(Ending ending, int calls) {
        Outcome outcome = ending.outcome();
        Throwable error = result.handle((value, failure) -> failure).join();
        if (outcome == Outcome.SUCCESS || outcome == Outcome.RECOVERED) {
            assertThat(result).isCompletedWithValue("value of attempt " + calls);
            assertThat(outcome).isEqualTo(calls == 1 ? Outcome.SUCCESS
                    : Outcome.RECOVERED);
            return;
        }
        assertThat(error).as("the call's failure").isNotNull();
        if (outcome == Outcome.CANCELLED) {
            assertThat(cancelledByCaller
                    || scenario.step(calls - 1).kind() == Kind.ATTEMPT_CANCELLED)
                    .as("cancelled by the caller or by someone else").isTrue();
            assertThat(error).isInstanceOf(CancellationException.class);
            return;
        }
        assertThat(ending.error()).as("the error heard is the one the caller sees")
                .isSameAs(error);
        switch (outcome) {
            case EXHAUSTED -> assertThat(calls == scenario.attempts()
                    || scenario.deadline() > 0).as("exhausted: attempts or deadline")
                    .isTrue();
            case THROTTLED -> assertThat(policy.budget()).isNotNull();
            case ABORTED -> assertThat(!scenario.retryable(error)
                    || error instanceof IllegalStateException && error.getMessage()
                            .contains("returned null")
                    || retrier.isClosed() || refusing)
                    .as("aborted: not retryable, null, closed or refused").isTrue();
            default -> throw new AssertionError("unexpected " + outcome);
        }
        if (outcome != Outcome.ABORTED) {
            assertThat(scenario.retryable(error)).as("retryable last error").isTrue();
        }
        for (Failure earlier : listener.failures()) {
            if (earlier.error() != error) {
                assertThat(error.getSuppressed()).as("earlier failures attached")
                        .contains(earlier.error());
            }
        }
    }

    record Event(long time, long order, Runnable action) implements Comparable<Event> {

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
