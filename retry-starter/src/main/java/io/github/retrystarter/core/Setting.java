package io.github.retrystarter.core;

/** The settings of a {@link RetryPolicy} that can be written in more than one place. */
public enum Setting {

    BASE("base", "base"),
    MAX("max", "max"),
    MULTIPLIER("multiplier", "multiplier"),
    JITTER("jitter", "jitter"),
    ATTEMPTS("attempts", "attempts"),
    RETRY_ON("retryOn", "retry-on"),
    ABORT_ON("abortOn", "abort-on"),
    ATTEMPT_TIMEOUT("attemptTimeout", "attempt-timeout"),
    DEADLINE("deadline", "deadline"),
    /** Properties only; a negative value means no budget. */
    BUDGET_RATIO("budget.ratio", "budget.ratio"),
    /** Properties only. */
    BUDGET_MIN_PER_SECOND("budget.minPerSecond", "budget.min-per-second");

    private final String attribute;
    private final String property;

    Setting(String attribute, String property) {
        this.attribute = attribute;
        this.property = property;
    }

    /** The name of the {@code @Retryable} attribute, e.g. {@code retryOn}. */
    public String attribute() {
        return attribute;
    }

    /** The name of the property in kebab case, e.g. {@code retry-on}. */
    public String property() {
        return property;
    }
}
