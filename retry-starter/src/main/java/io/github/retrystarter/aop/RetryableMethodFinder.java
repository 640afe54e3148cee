package io.github.retrystarter.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import io.github.retrystarter.annotation.Retryable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link Retryable} that applies to a method of a bean class, looking, in order, at
 * the most specific method (then the methods it overrides or implements, interfaces included,
 * and composed annotations), then at the bean class and its supertypes for a type-level
 * annotation, which applies to public methods only.
 */
final class RetryableMethodFinder {

    private RetryableMethodFinder() {
    }

    /** Whether {@code beanClass} may declare or inherit {@code @Retryable} at all. */
    static boolean isCandidate(Class<?> beanClass) {
        return AnnotationUtils.isCandidateClass(beanClass, Retryable.class);
    }

    /**
     * The annotation for {@code method} called on a bean of {@code beanClass}, or
     * {@code null}.
     */
    static Retryable find(Method method, Class<?> beanClass) {
        if (method.getDeclaringClass() == Object.class) {
            return null;
        }
        Class<?> userClass = ClassUtils.getUserClass(beanClass);
        Method specific = BridgeMethodResolver.findBridgedMethod(
                AopUtils.getMostSpecificMethod(method, userClass));
        Retryable found = AnnotatedElementUtils.findMergedAnnotation(specific, Retryable.class);
        if (found == null && specific != method) {
            found = AnnotatedElementUtils.findMergedAnnotation(method, Retryable.class);
        }
        if (found != null || !Modifier.isPublic(specific.getModifiers())
                || ReflectionUtils.isObjectMethod(specific)) {
            return found;
        }
        found = AnnotatedElementUtils.findMergedAnnotation(userClass, Retryable.class);
        if (found == null) {
            found = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(),
                    Retryable.class);
        }
        return found;
    }

    /** The method that an invocation of {@code method} on {@code beanClass} runs. */
    static Method specificMethod(Method method, Class<?> beanClass) {
        return BridgeMethodResolver.findBridgedMethod(
                AopUtils.getMostSpecificMethod(method, ClassUtils.getUserClass(beanClass)));
    }
}
