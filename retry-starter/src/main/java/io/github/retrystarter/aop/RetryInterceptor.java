package io.github.retrystarter.aop;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * target's class, so that a successful call allocates nothing here. The cache is a table on
 * the method's identity hash, copied on write: the proxies pass the same {@code Method}
 * object at every call, so a hit reads one array and compares two references, without the
 * string hashes and the map that {@code Method.hashCode} and a map lookup would cost.
 */
public final class RetryInterceptor implements MethodInterceptor {

    private final Supplier<Retrier> retrier;
    private final Supplier<RetryableMethodRegistry> registry;
    // open addressing on System.identityHashCode(method), at most half full, never changed
    // once published: a miss publishes a copy
    private volatile Entry[] entries = new Entry[16];
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
        Retrier retrier = retrier();
        long start = retrier.startTime(policy);
        Object value;
        try {
            value = invocation.proceed();
        }
        catch (Throwable failure) {
            return retrier.retry(policy, Replay.attempt(invocation, mark, copy), failure,
                    start);
        }
        retrier.succeeded(policy);
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
        Entry[] table = entries;
        int mask = table.length - 1;
        for (int i = System.identityHashCode(method) & mask; ; i = (i + 1) & mask) {
            Entry entry = table[i];
            if (entry == null) {
                return cacheMiss(method, target, targetClass);
            }
            if (entry.method == method && entry.targetClass == targetClass) {
                return entry.policy;
            }
        }
    }

    private MethodPolicy cacheMiss(Method method, Object target, Class<?> targetClass) {
        // the same method as another object than the one cached: found by equality and not
        // added, so that a caller passing a new Method object each time cannot grow the table
        for (Entry entry : entries) {
            if (entry != null && entry.targetClass == targetClass
                    && entry.method.equals(method)) {
                return entry.policy;
            }
        }
        // a target that is itself a proxy carrying this advice retries on its own: doing it
        // here too would multiply the attempts (4 becoming 16)
        MethodPolicy policy = isRetryingProxy(target) ? null
                : registry.get().find(method, targetClass);
        add(new Entry(method, targetClass, policy));
        return policy;
    }

    private synchronized void add(Entry entry) {
        Entry[] table = entries;
        int used = count(table) + 1;
        Entry[] copy = new Entry[used * 2 > table.length ? table.length * 2 : table.length];
        for (Entry existing : table) {
            if (existing != null) {
                place(copy, existing);
            }
        }
        place(copy, entry);
        entries = copy;
    }

    /** Puts {@code entry} in {@code table}, unless another thread put the same one first. */
    private static void place(Entry[] table, Entry entry) {
        int mask = table.length - 1;
        int i = System.identityHashCode(entry.method) & mask;
        for (Entry existing = table[i]; existing != null; existing = table[i]) {
            if (existing.method == entry.method && existing.targetClass == entry.targetClass) {
                return;
            }
            i = (i + 1) & mask;
        }
        table[i] = entry;
    }

    /** How many (method, bean class) pairs are cached; for tests. */
    int cachedEntries() {
        return count(entries);
    }

    private static int count(Entry[] table) {
        int count = 0;
        for (Entry entry : table) {
            count += entry != null ? 1 : 0;
        }
        return count;
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

    /** The policy of a method on one bean class, null where none applies. */
    private record Entry(Method method, Class<?> targetClass, MethodPolicy policy) {
    }
}
