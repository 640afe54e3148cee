package io.github.retrystarter.aop;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.core.RetryConfigurationException;
import io.github.retrystarter.core.Setting;

import org.springframework.core.MethodClassKey;
import org.springframework.util.ClassUtils;

/**
 * Every {@code @Retryable} method seen so far, with its resolved policy: found and resolved
 * once per method and bean class, at start-up or on the first call.
 */
public final class RetryableMethodRegistry {

    private static final MethodPolicy NONE = new MethodPolicy(null, null);

    private final RetryPolicyFactory factory;
    private final Map<MethodClassKey, MethodPolicy> policies = new ConcurrentHashMap<>();

    public RetryableMethodRegistry(RetryPolicyFactory factory) {
        this.factory = factory;
    }

    /**
     * The policy for a call of {@code method} on a bean of {@code beanClass}, or {@code null}
     * when no {@code @Retryable} applies.
     *
     * @throws io.github.retrystarter.core.RetryConfigurationException when the annotation or
     *         its settings are invalid
     */
    public MethodPolicy find(Method method, Class<?> beanClass) {
        Class<?> userClass = ClassUtils.getUserClass(beanClass);
        Method specific = RetryableMethodFinder.specificMethod(method, userClass);
        MethodClassKey key = new MethodClassKey(specific, userClass);
        MethodPolicy policy = policies.get(key);
        if (policy == null) {
            policy = resolve(method, specific, userClass);
            MethodPolicy raced = policies.putIfAbsent(key, policy);
            policy = raced != null ? raced : policy;
        }
        return policy == NONE ? null : policy;
    }

    private MethodPolicy resolve(Method method, Method specific, Class<?> userClass) {
        Retryable annotation = RetryableMethodFinder.find(method, userClass);
        if (annotation == null) {
            return NONE;
        }
        RetryableMethod retryable = RetryableMethod.of(specific, userClass, annotation);
        MethodPolicy policy = new MethodPolicy(retryable, factory.resolve(retryable));
        checkAttemptTimeout(policy);
        return policy;
    }

    /**
     * An attempt timeout cannot stop a synchronous attempt: where it was asked for this method
     * (not inherited from the defaults), say so rather than ignore it.
     */
    private static void checkAttemptTimeout(MethodPolicy policy) {
        String source = policy.resolved().sources().get(Setting.ATTEMPT_TIMEOUT);
        if (!policy.isAsync() && policy.policy().attemptTimeoutMillis() > 0
                && !"retry.defaults".equals(source)) {
            throw new RetryConfigurationException("Retry policy '" + policy.policy().name()
                    + "' sets attemptTimeout (from " + source + ") on "
                    + policy.method().describe() + ", which is synchronous: a running"
                    + " synchronous attempt cannot be stopped. Remove it, use deadline, or"
                    + " return a CompletableFuture.");
        }
    }

    /** Every method with a policy, sorted by policy name then method. */
    public List<MethodPolicy> all() {
        List<MethodPolicy> all = new ArrayList<>();
        for (MethodPolicy policy : policies.values()) {
            if (policy != NONE) {
                all.add(policy);
            }
        }
        all.sort(Comparator.comparing((MethodPolicy p) -> p.policy().name())
                .thenComparing(p -> p.method().describe()));
        return all;
    }

    /** The names of every policy seen so far. */
    public Collection<String> names() {
        return all().stream().map(p -> p.policy().name()).distinct().toList();
    }

    /** The first method policy with {@code name}, if any. */
    public Optional<MethodPolicy> byName(String name) {
        return all().stream().filter(p -> p.policy().name().equals(name)).findFirst();
    }
}
