package io.github.retrystarter.aop;

import java.util.List;

import io.github.retrystarter.core.PolicyResolver;
import io.github.retrystarter.core.PolicyResolver.Layer;
import io.github.retrystarter.core.ResolvedPolicy;
import io.github.retrystarter.core.RetrySettings;

import org.springframework.beans.factory.BeanFactory;

/**
 * Resolves a policy from the annotation alone, falling back to the built-in defaults; for use
 * without the Spring Boot auto-configuration.
 */
public final class AnnotationRetryPolicyFactory implements RetryPolicyFactory {

    /** The origin label of values written on the annotation. */
    public static final String ANNOTATION = "annotation";
    /** The origin label of the built-in defaults. */
    public static final String BUILT_IN = "built-in";

    private final BeanFactory beanFactory;

    /** @param beanFactory where {@code retryIf} predicates are looked up; may be null */
    public AnnotationRetryPolicyFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public ResolvedPolicy resolve(RetryableMethod method) {
        return PolicyResolver.resolve(method.name(), method.describe(),
                RetryPredicates.of(method, beanFactory),
                List.of(annotationLayer(method), builtInLayer()));
    }

    /** The layer of what {@code method}'s annotation states. */
    public static Layer annotationLayer(RetryableMethod method) {
        return new Layer(ANNOTATION, method.settings(), setting -> "@Retryable("
                + setting.attribute() + ") on " + method.describe());
    }

    /** The layer of the built-in defaults. */
    public static Layer builtInLayer() {
        return new Layer(BUILT_IN, RetrySettings.BUILT_IN,
                setting -> "the built-in default of " + setting.attribute());
    }
}
