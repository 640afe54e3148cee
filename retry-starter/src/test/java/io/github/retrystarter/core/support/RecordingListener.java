package io.github.retrystarter.core.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.retrystarter.core.Outcome;
import io.github.retrystarter.core.RetryListener;
import io.github.retrystarter.core.RetryPolicy;

/** A {@link RetryListener} that records what it hears, safe to use from several threads. */
public final class RecordingListener implements RetryListener {

    /** A failed attempt as heard by {@link #onFailedAttempt}. */
    public record Failure(String policy, int attempt, Throwable error, long delayMillis) {
    }

    /** A final outcome as heard by {@link #onOutcome}. */
    public record Ending(String policy, Outcome outcome, int attempts, Throwable error) {
    }

    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Ending> endings = new CopyOnWriteArrayList<>();

    @Override
    public void onFailedAttempt(RetryPolicy policy, int attempt, Throwable error,
            long delayMillis) {
        failures.add(new Failure(policy.name(), attempt, error, delayMillis));
    }

    @Override
    public void onOutcome(RetryPolicy policy, Outcome outcome, int attempts, Throwable error) {
        endings.add(new Ending(policy.name(), outcome, attempts, error));
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    public List<Ending> endings() {
        return List.copyOf(endings);
    }

    /** The delays heard with each failed attempt, {@code -1} where none followed. */
    public List<Long> delays() {
        return failures.stream().map(Failure::delayMillis).toList();
    }

    /** The only ending heard; fails when there was none or more than one. */
    public Ending onlyEnding() {
        List<Ending> heard = endings();
        if (heard.size() != 1) {
            throw new AssertionError("expected exactly one outcome, but heard " + heard);
        }
        return heard.get(0);
    }
}
