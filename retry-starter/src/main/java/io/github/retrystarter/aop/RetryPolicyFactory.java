package io.github.retrystarter.aop;

import io.github.retrystarter.core.ResolvedPolicy;

/**
 * Turns what a {@code @Retryable} method states into its effective policy. The Spring Boot
 * auto-configuration layers {@code retry.instances.<name>} above the annotation and
 * {@code retry.defaults} below it; {@link AnnotationRetryPolicyFactory} uses the annotation and
 * the built-in defaults only.
 */
@FunctionalInterface
public interface RetryPolicyFactory {

    /**
     * Resolves the policy of {@code method}; called once per method and bean class.
     *
     * @throws io.github.retrystarter.core.RetryConfigurationException when a value is invalid
     */
    ResolvedPolicy resolve(RetryableMethod method);
}
