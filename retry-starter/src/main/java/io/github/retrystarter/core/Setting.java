package io.github.retrystarter.core;

/** The settings of a {@link RetryPolicy} that can be written in more than one place. */
public enum Setting {

    BASE("base", "base"),
    MAX("max", "max"),
    MULTIPLIER("multiplier", "multiplier"),
    JITTER("jitter", "jitter"),
    ATTEMPTS("attempts", "attempts"),
    RETRY_ON("retryOn", "retry-on"),
    ABORT_ON("abortOn", "abort-on");

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
