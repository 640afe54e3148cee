package io.github.retrystarter.aop;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;

/**
 * Applies the {@link RetryInterceptor} to every method that a {@code @Retryable} reaches.
 *
 * <p>Its order defaults to {@link #DEFAULT_ORDER}, one step ahead of
 * {@code @Transactional}'s default ({@link Ordered#LOWEST_PRECEDENCE}), so that the retry
 * runs outside the transaction and each attempt gets a fresh one.
 */
public final class RetryAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    /** The default order: just outside {@code @Transactional} at its default order. */
    public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 1;

    private final transient RetryInterceptor interceptor;
    private final transient Pointcut pointcut;

    public RetryAdvisor(RetryInterceptor interceptor) {
        this.interceptor = interceptor;
        this.pointcut = new RetryablePointcut();
        setOrder(DEFAULT_ORDER);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return interceptor;
    }

    /** Matches the methods on which {@link RetryableMethodFinder} finds an annotation. */
    private static final class RetryablePointcut extends StaticMethodMatcherPointcut {

        RetryablePointcut() {
            setClassFilter(RetryableMethodFinder::isCandidate);
        }

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return RetryableMethodFinder.find(method, targetClass) != null;
        }
    }
}
