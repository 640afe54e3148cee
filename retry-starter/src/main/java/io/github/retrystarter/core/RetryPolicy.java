package io.github.retrystarter.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What to retry and how often: the number of attempts, the backoff between them, and which
 * errors are worth another attempt. Immutable and shared by every call of a method; the state
 * of one call lives in the {@link Retrier}'s per-call execution.
 *
 * <p>An error is retried when all of these hold, asked in this order:
 * <ol>
 * <li>it is not an instance of any {@code abortOn} type;</li>
 * <li>it is an instance of a {@code retryOn} type, or, when {@code retryOn} is empty, an
 * {@link Exception}; an {@link Error} matches only a {@code retryOn} type that is itself an
 * {@code Error} type, never {@code Throwable};</li>
 * <li>the {@code retryIf} predicate, if any, answers {@code true}.</li>
 * </ol>
 * An {@link AttemptTimeoutException} skips the last two questions: a timed-out attempt is
 * retried unless {@code abortOn} names it.
 *
 * <p>Two optional limits bound a call in time: an attempt timeout (asynchronous calls only),
 * after which an attempt's future is cancelled and counted as a failure, and a deadline, past
 * which no retry is started. An optional {@link RetryBudget} caps retries at a share of recent
 * calls.
 */
public final class RetryPolicy {

    /** Built-in number of attempts, the first call included. */
    public static final int DEFAULT_ATTEMPTS = 5;
    /** Built-in delay before the first retry, in milliseconds. */
    public static final long DEFAULT_BASE_MILLIS = 50;
    /** Built-in cap on any single delay, in milliseconds. */
    public static final long DEFAULT_MAX_MILLIS = 1000;
    /** Built-in growth factor between delays. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Built-in jitter setting. */
    public static final boolean DEFAULT_JITTER = true;
    /** Built-in retries always allowed per second by a budget. */
    public static final int DEFAULT_BUDGET_MIN_PER_SECOND = 10;

    private final String name;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Class<? extends Throwable>[] retryOn;
    private final Class<? extends Throwable>[] abortOn;
    private final Predicate<Throwable> retryIf;
    private final long attemptTimeoutMillis;
    private final long deadlineMillis;
    private final RetryBudget budget;

    private RetryPolicy(Builder builder) {
        this.name = builder.name;
        this.maxAttempts = builder.maxAttempts;
        this.backoff = new Backoff(builder.baseMillis, builder.maxMillis, builder.multiplier,
                builder.jitter);
        this.retryOn = toArray(builder.retryOn);
        this.abortOn = toArray(builder.abortOn);
        this.retryIf = builder.retryIf;
        this.attemptTimeoutMillis = builder.attemptTimeoutMillis;
        this.deadlineMillis = builder.deadlineMillis;
        this.budget = builder.budget;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<? extends Throwable>[] toArray(List<Class<? extends Throwable>> types) {
        return types.toArray(new Class[0]);
    }

    /**
     * Starts a policy with the built-in defaults.
     *
     * @param name the name used in logs, metrics and listener events
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Whether {@code error}, thrown by an attempt, is worth another attempt. Does not look at
     * the number of attempts made.
     *
     * <p>Note that the {@code retryIf} predicate may throw; the {@link Retrier} then ends the
     * call with the original error and attaches the predicate's.
     */
    public boolean isRetryable(Throwable error) {
        for (Class<? extends Throwable> type : abortOn) {
            if (type.isInstance(error)) {
                return false;
            }
        }
        if (error instanceof AttemptTimeoutException) {
            return true;
        }
        if (!matchesRetryOn(error)) {
            return false;
        }
        return retryIf == null || retryIf.test(error);
    }

    private boolean matchesRetryOn(Throwable error) {
        if (retryOn.length == 0) {
            return error instanceof Exception;
        }
        boolean isError = error instanceof Error;
        for (Class<? extends Throwable> type : retryOn) {
            if (type.isInstance(error) && (!isError || Error.class.isAssignableFrom(type))) {
                return true;
            }
        }
        return false;
    }

    public String name() {
        return name;
    }

    /** Total calls allowed, the first one included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    public Backoff backoff() {
        return backoff;
    }

    public List<Class<? extends Throwable>> retryOn() {
        return List.of(retryOn);
    }

    public List<Class<? extends Throwable>> abortOn() {
        return List.of(abortOn);
    }

    /** The extra condition, or {@code null} when there is none. */
    public Predicate<Throwable> retryIf() {
        return retryIf;
    }

    /** How long an asynchronous attempt may take before it is cancelled; 0 for no limit. */
    public long attemptTimeoutMillis() {
        return attemptTimeoutMillis;
    }

    /** How long after its start a call may still begin a retry; 0 for no limit. */
    public long deadlineMillis() {
        return deadlineMillis;
    }

    /** The retry budget shared by this policy's name, or {@code null} when there is none. */
    public RetryBudget budget() {
        return budget;
    }

    @Override
    public String toString() {
        return "RetryPolicy['" + name + "', attempts=" + maxAttempts + ", " + backoff
                + ", retryOn=" + retryOn() + ", abortOn=" + abortOn() + "]";
    }

    /** Builds a {@link RetryPolicy}; each setter rejects a bad value at once. */
    public static final class Builder {

        private final String name;
        private int maxAttempts = DEFAULT_ATTEMPTS;
        private long baseMillis = DEFAULT_BASE_MILLIS;
        private long maxMillis = DEFAULT_MAX_MILLIS;
        private double multiplier = DEFAULT_MULTIPLIER;
        private boolean jitter = DEFAULT_JITTER;
        private List<Class<? extends Throwable>> retryOn = List.of();
        private List<Class<? extends Throwable>> abortOn = List.of();
        private Predicate<Throwable> retryIf;
        private long attemptTimeoutMillis;
        private long deadlineMillis;
        private RetryBudget budget;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Total calls, the first one included; 1 means never retry. */
        public Builder attempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException(
                        "attempts must be 1 or more (it counts the first call), but was "
                                + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        public Builder base(long millis) {
            Backoff.checkBase(millis);
            this.baseMillis = millis;
            return this;
        }

        /** The cap on any delay; checked against {@code base} when the policy is built. */
        public Builder max(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException(
                        "max must be 0 ms or more, but was " + millis + " ms");
            }
            this.maxMillis = millis;
            return this;
        }

        public Builder multiplier(double multiplier) {
            Backoff.checkMultiplier(multiplier);
            this.multiplier = multiplier;
            return this;
        }

        public Builder jitter(boolean jitter) {
            this.jitter = jitter;
            return this;
        }

        /** Retry only these types; empty means every {@link Exception}. */
        public Builder retryOn(List<Class<? extends Throwable>> types) {
            this.retryOn = checkTypes("retryOn", types);
            return this;
        }

        /** Never retry these types, even when {@code retryOn} matches. */
        public Builder abortOn(List<Class<? extends Throwable>> types) {
            this.abortOn = checkTypes("abortOn", types);
            return this;
        }

        /** A further condition asked after {@code retryOn}/{@code abortOn}; may be null. */
        public Builder retryIf(Predicate<Throwable> predicate) {
            this.retryIf = predicate;
            return this;
        }

        /**
         * Cancels an asynchronous attempt that has not completed after {@code millis} and
         * counts it as an {@link AttemptTimeoutException}; 0 (the default) for no limit.
         * Synchronous calls ignore it.
         */
        public Builder attemptTimeout(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("attemptTimeout must be 0 ms (none) or more,"
                        + " but was " + millis + " ms");
            }
            this.attemptTimeoutMillis = millis;
            return this;
        }

        /**
         * Starts no retry later than {@code millis} after the call began; the call then ends
         * with its last failure. 0 (the default) for no limit.
         */
        public Builder deadline(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException(
                        "deadline must be 0 ms (none) or more, but was " + millis + " ms");
            }
            this.deadlineMillis = millis;
            return this;
        }

        /** Caps retries with {@code budget}; null (the default) for no cap. */
        public Builder budget(RetryBudget budget) {
            this.budget = budget;
            return this;
        }

        private static List<Class<? extends Throwable>> checkTypes(String option,
                List<Class<? extends Throwable>> types) {
            for (Class<?> type : types) {
                if (type == null || !Throwable.class.isAssignableFrom(type)) {
                    throw new IllegalArgumentException(option
                            + " must list Throwable types, but contained " + type);
                }
            }
            return List.copyOf(types);
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalArgumentException when {@code max} is below {@code base}
         */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
