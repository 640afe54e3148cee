package io.github.retrystarter.autoconfigure;

import io.github.retrystarter.core.RetryConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an invalid retry setting into a start-up report that says what to change. */
final class RetryConfigurationFailureAnalyzer
        extends AbstractFailureAnalyzer<RetryConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RetryConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct the retry setting named above, in application properties/YAML or on the"
                        + " @Retryable annotation.", cause);
    }
}
