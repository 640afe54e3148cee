package io.github.retrystarter.aop;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.retrystarter.core.Retrier;
import io.github.retrystarter.core.RetryPolicy;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;

/**
 * The retry advice: runs the first attempt inline and hands failures to the {@link Retrier}.
 *
 * <p>The policy of each method is looked up in a cache keyed by the invoked method and the
 * target's class, so that a successful call costs one map probe and allocates nothing here.
 */
public final class RetryInterceptor implements MethodInterceptor {

    private final Supplier<Retrier> retrier;
    private final Supplier<RetryableMethodRegistry> registry;
    private final ConcurrentHashMap<Method, Entry> cache = new ConcurrentHashMap<>();
    private volatile Retrier resolvedRetrier;

    /**
     * Both arguments are asked on first use, so that building the advisor, which happens early
     * in a context's start, does not pull the retrier and its dependencies along.
     *
     * @param retrier supplies the retrier
     * @param registry supplies the registry that resolves and caches method policies
     */
    public RetryInterceptor(Supplier<Retrier> retrier, Supplier<RetryableMethodRegistry> registry) {
        this.retrier = retrier;
        this.registry = registry;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        MethodPolicy policy = lookup(invocation);
        if (policy == null) {
            return invocation.proceed();
        }
        return policy.isAsync() ? invokeAsync(policy.policy(), invocation)
                : invokeSync(policy.policy(), invocation);
    }

    private Object invokeSync(RetryPolicy policy, MethodInvocation invocation) throws Throwable {
        int mark = Replay.mark(invocation);
        MethodInvocation copy = Replay.copyIfNeeded(invocation, mark);
        long start = retrier().startTime(policy);
        Object value;
        try {
            value = invocation.proceed();
        }
        catch (Throwable failure) {
            return retrier().retry(policy, Replay.attempt(invocation, mark, copy), failure,
                    start);
        }
        retrier().succeeded(policy);
        return value;
    }

    @SuppressWarnings("unchecked")
    private Object invokeAsync(RetryPolicy policy, MethodInvocation invocation) {
        int mark = Replay.mark(invocation);
        MethodInvocation copy = Replay.copyIfNeeded(invocation, mark);
        Retrier retrier = retrier();
        long start = retrier.startTime(policy);
        Object first;
        try {
            first = invocation.proceed();
        }
        catch (Throwable thrown) {
            first = CompletableFuture.failedFuture(thrown);
        }
        // the exact class: a subclass such as the JDK's minimal stage may refuse isDone()
        if (first != null && first.getClass() == CompletableFuture.class
                && ((CompletableFuture<?>) first).isDone()
                && !((CompletableFuture<?>) first).isCompletedExceptionally()) {
            retrier.succeeded(policy);
            return first;
        }
        return retrier.retryAsync(policy, Replay.stage(invocation, mark, copy),
                (CompletionStage<Object>) first, start);
    }

    private Retrier retrier() {
        Retrier current = resolvedRetrier;
        if (current == null) {
            current = retrier.get();
            resolvedRetrier = current;
        }
        return current;
    }

    private MethodPolicy lookup(MethodInvocation invocation) {
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Class<?> targetClass = target != null ? target.getClass() : method.getDeclaringClass();
        for (Entry entry = cache.get(method); entry != null; entry = entry.next) {
            if (entry.targetClass == targetClass) {
                return entry.policy;
            }
        }
        return cacheMiss(method, target, targetClass);
    }

    private MethodPolicy cacheMiss(Method method, Object target, Class<?> targetClass) {
        // a target that is itself a proxy carrying this advice retries on its own: doing it
        // here too would multiply the attempts (4 becoming 16)
        MethodPolicy policy = isRetryingProxy(target) ? null
                : registry.get().find(method, targetClass);
        cache.compute(method, (key, head) -> new Entry(targetClass, policy, head));
        return policy;
    }

    private static boolean isRetryingProxy(Object target) {
        if (target instanceof Advised advised) {
            for (Advisor advisor : advised.getAdvisors()) {
                if (advisor instanceof RetryAdvisor) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One bean class's policy for a method; a short list, as most methods have one class. */
    private record Entry(Class<?> targetClass, MethodPolicy policy, Entry next) {
    }
}
