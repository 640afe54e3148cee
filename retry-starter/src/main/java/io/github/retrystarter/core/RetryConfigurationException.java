package io.github.retrystarter.core;

/**
 * A retry setting is invalid. The message names the setting where it was written (the
 * property key or the annotation and its method), the value, the rule and the fix.
 */
public class RetryConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public RetryConfigurationException(String message) {
        super(message);
    }

    public RetryConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
