package io.github.retrystarter.aop;

import java.util.function.Predicate;

import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.core.RetryConfigurationException;

import org.springframework.beans.BeanInstantiationException;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.BeanFactory;

/** Obtains the {@code retryIf} predicate of a method: a unique bean, else a new instance. */
public final class RetryPredicates {

    private RetryPredicates() {
    }

    /**
     * The predicate for {@code method}, or {@code null} when it states none.
     *
     * @param beanFactory where to look for a bean of the predicate's type; may be null
     */
    public static Predicate<Throwable> of(RetryableMethod method, BeanFactory beanFactory) {
        Class<? extends Predicate<Throwable>> type = method.retryIf();
        if (type == Retryable.AnyError.class) {
            return null;
        }
        if (beanFactory != null) {
            Predicate<Throwable> bean = beanFactory.getBeanProvider(type).getIfUnique();
            if (bean != null) {
                return bean;
            }
        }
        try {
            return BeanUtils.instantiateClass(type);
        }
        catch (BeanInstantiationException error) {
            throw new RetryConfigurationException("@Retryable(retryIf = " + type.getName()
                    + ".class) on " + method.describe() + ": there is no single bean of that type"
                    + " and it cannot be created with a no-argument constructor ("
                    + error.getMostSpecificCause().getMessage() + "). Declare it as a bean or"
                    + " give it a public no-argument constructor.", error);
        }
    }
}
