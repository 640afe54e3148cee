package io.github.retrystarter.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;

/**
 * One random case of {@link RetrierInvariantsTest}: a policy, what each of its attempts does,
 * and when the test intervenes (cancel, close, refusals, a throwing listener).
 */
record InvariantScenario(int attempts, long base, long max, double multiplier, boolean jitter,
        long attemptTimeout, long deadline, boolean retryOnTemporary,
        boolean abortOnTimeout, double budgetRatio, int budgetMin, List<Step> steps,
        long cancelAt, long closeAt, int cancelOnDraw, int closeOnDraw, long refuseAt,
        boolean throwingListener, long drawSeed) {

    static InvariantScenario random(Random random) {
        int attempts = random.nextInt(10) == 0 ? 1 + random.nextInt(50)
                : 1 + random.nextInt(6);
        long base = random.nextInt(20) == 0 ? Long.MAX_VALUE / (1 + random.nextInt(4))
                : random.nextInt(1_001);
        long max = random.nextInt(10) == 0 ? Long.MAX_VALUE
                : base + (base > Long.MAX_VALUE / 2 ? 0 : random.nextInt(5_000));
        double multiplier = random.nextInt(20) == 0 ? 1e300 : 1 + random.nextDouble() * 9;
        long attemptTimeout = switch (random.nextInt(6)) {
            case 0, 1 -> 1 + random.nextInt(400);
            case 2 -> Long.MAX_VALUE;
            default -> 0;
        };
        long deadline = switch (random.nextInt(6)) {
            case 0, 1 -> 1 + random.nextInt(3_000);
            case 2 -> Long.MAX_VALUE;
            default -> 0;
        };
        boolean budget = random.nextInt(5) == 0;
        List<Step> steps = new ArrayList<>();
        for (int k = 0; k < attempts; k++) {
            steps.add(randomStep(random));
        }
        return new InvariantScenario(attempts, base, max, multiplier, random.nextBoolean(),
                attemptTimeout, deadline, random.nextInt(4) == 0, random.nextInt(8) == 0,
                budget ? random.nextInt(3) * 0.5 : -1, budget ? random.nextInt(3) : 0,
                steps, random.nextInt(3) == 0 ? random.nextInt(3_000) : -1,
                random.nextInt(3) == 0 ? random.nextInt(3_000) : -1,
                random.nextInt(10) == 0 ? 1 + random.nextInt(3) : -1,
                random.nextInt(10) == 0 ? 1 + random.nextInt(3) : -1,
                random.nextInt(10) == 0 ? random.nextInt(4) * random.nextInt(700) : -1,
                random.nextInt(10) == 0, random.nextLong());
    }

    private static Step randomStep(Random random) {
        int pick = random.nextInt(100);
        Kind kind;
        if (pick < 45) {
            kind = Kind.RETRYABLE;
        }
        else if (pick < 65) {
            kind = Kind.VALUE;
        }
        else {
            kind = Kind.values()[2 + random.nextInt(Kind.values().length - 2)];
        }
        boolean late = random.nextBoolean() && kind != Kind.THROWN && kind != Kind.NULL
                && kind != Kind.NEVER;
        boolean minimal = random.nextInt(10) == 0 && kind != Kind.THROWN
                && kind != Kind.NULL;
        return new Step(kind, late ? 1 + random.nextInt(500) : 0, minimal);
    }

    RetryPolicy policy(RetryBudget budget) {
        RetryPolicy.Builder builder = RetryPolicy.builder("invariants").attempts(attempts)
                .base(base).max(max).multiplier(multiplier).jitter(jitter)
                .attemptTimeout(attemptTimeout).deadline(deadline).budget(budget);
        if (retryOnTemporary) {
            builder.retryOn(List.of(Temporary.class));
        }
        List<Class<? extends Throwable>> abortOn = new ArrayList<>();
        abortOn.add(Permanent.class);
        if (abortOnTimeout) {
            abortOn.add(AttemptTimeoutException.class);
        }
        return builder.abortOn(abortOn).build();
    }

    Step step(int index) {
        return steps.get(Math.min(index, steps.size() - 1));
    }

    /** The oracle: whether the policy of this scenario should retry {@code error}. */
    boolean retryable(Throwable error) {
        if (error instanceof AttemptTimeoutException) {
            return !abortOnTimeout;
        }
        return error instanceof Temporary;
    }

    /**
     * The oracle for synchronous calls, where a {@link CancellationException} thrown by
     * the method is an exception like any other.
     */
    boolean retryableWhenThrown(Throwable error) {
        return retryable(error)
                || error instanceof CancellationException && !retryOnTemporary;
    }

    /**
     * What an attempt does: return a value or a failure (at once or later), throw, return
     * {@code null}, never end, or have its future cancelled by someone else. In synchronous
     * cases {@code NEVER} stands for an attempt that throws {@link InterruptedException} and
     * {@code ATTEMPT_CANCELLED} for one that throws {@link CancellationException}.
     */
    enum Kind {
        VALUE, RETRYABLE, NON_RETRYABLE, ERROR, THROWN, NULL, NEVER, ATTEMPT_CANCELLED
    }

    /** What attempt k does: its kind, and how long after it was made its future completes. */
    record Step(Kind kind, long after, boolean minimal) {

        @Override
        public String toString() {
            return (minimal ? "minimal " : "") + (after == 0 ? kind.name()
                    : kind + "+" + after + "ms");
        }
    }

    /** A failure worth retrying, thrown or returned. */
    static final class Temporary extends RuntimeException {

        Temporary(String message) {
            super(message, null, true, false);
        }
    }

    /** A failure the policies abort on. */
    static final class Permanent extends RuntimeException {

        Permanent(String message) {
            super(message, null, true, false);
        }
    }

    /** An {@link Error}, never retried. */
    static final class Fatal extends Error {

        Fatal(String message) {
            super(message, null, true, false);
        }
    }

    /** A listener that throws at every event; its errors carry no stack, to keep logs short. */
    static final class ThrowingListener implements RetryListener {

        @Override
        public void onFailedAttempt(RetryPolicy policy, int attempt, Throwable error,
                long delayMillis) {
            throw new Temporary("listener broke on attempt " + attempt);
        }

        @Override
        public void onOutcome(RetryPolicy policy, Outcome outcome, int attempts,
                Throwable error) {
            throw new Temporary("listener broke on " + outcome);
        }
    }
}
