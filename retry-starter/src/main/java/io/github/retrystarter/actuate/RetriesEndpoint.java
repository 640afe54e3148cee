package io.github.retrystarter.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.retrystarter.aop.MethodPolicy;
import io.github.retrystarter.aop.RetryableMethodRegistry;
import io.github.retrystarter.core.RetryPolicy;
import io.github.retrystarter.core.Setting;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.lang.Nullable;

/**
 * The {@code retries} endpoint: every retry policy with its effective settings, where each
 * value came from ({@code built-in}, {@code retry.defaults}, {@code annotation} or
 * {@code retry.instances}) and the methods that use it.
 */
@Endpoint(id = "retries")
public class RetriesEndpoint {

    private final RetryableMethodRegistry registry;
    private final Set<String> configuredInstances;

    public RetriesEndpoint(RetryableMethodRegistry registry, Set<String> configuredInstances) {
        this.registry = registry;
        this.configuredInstances = Set.copyOf(configuredInstances);
    }

    /** Every policy, by name. */
    @ReadOperation
    public RetriesDescriptor retries() {
        Map<String, List<PolicyDescriptor>> policies = new LinkedHashMap<>();
        for (MethodPolicy method : registry.all()) {
            policies.computeIfAbsent(method.policy().name(), name -> new ArrayList<>())
                    .add(describe(method));
        }
        Set<String> unused = new TreeSet<>(configuredInstances);
        unused.removeAll(policies.keySet());
        return new RetriesDescriptor(policies, List.copyOf(unused));
    }

    /** One policy; a name shared by methods with different settings lists each. */
    @ReadOperation
    @Nullable
    public List<PolicyDescriptor> policy(@Selector String name) {
        List<PolicyDescriptor> found = registry.all().stream()
                .filter(method -> method.policy().name().equals(name)).map(this::describe)
                .toList();
        return found.isEmpty() ? null : found;
    }

    private PolicyDescriptor describe(MethodPolicy method) {
        RetryPolicy policy = method.policy();
        Map<String, SettingDescriptor> settings = new LinkedHashMap<>();
        Map<Setting, String> sources = method.resolved().sources();
        settings.put("attempts", new SettingDescriptor(policy.maxAttempts(),
                sources.get(Setting.ATTEMPTS)));
        settings.put("base", new SettingDescriptor(policy.backoff().baseMillis() + "ms",
                sources.get(Setting.BASE)));
        settings.put("max", new SettingDescriptor(policy.backoff().maxMillis() + "ms",
                sources.get(Setting.MAX)));
        settings.put("multiplier", new SettingDescriptor(policy.backoff().multiplier(),
                sources.get(Setting.MULTIPLIER)));
        settings.put("jitter", new SettingDescriptor(policy.backoff().jitter(),
                sources.get(Setting.JITTER)));
        settings.put("retry-on", new SettingDescriptor(policy.retryOn().isEmpty()
                ? List.of("java.lang.Exception") : names(policy.retryOn()),
                sources.get(Setting.RETRY_ON)));
        settings.put("abort-on", new SettingDescriptor(names(policy.abortOn()),
                sources.get(Setting.ABORT_ON)));
        settings.put("attempt-timeout", new SettingDescriptor(
                policy.attemptTimeoutMillis() == 0 ? "none" : policy.attemptTimeoutMillis() + "ms",
                sources.get(Setting.ATTEMPT_TIMEOUT)));
        settings.put("deadline", new SettingDescriptor(
                policy.deadlineMillis() == 0 ? "none" : policy.deadlineMillis() + "ms",
                sources.get(Setting.DEADLINE)));
        settings.put("budget", new SettingDescriptor(policy.budget() == null ? "none"
                : Map.of("ratio", policy.budget().ratio(), "min-per-second",
                        policy.budget().minPerSecond()), sources.get(Setting.BUDGET_RATIO)));
        String retryIf = policy.retryIf() == null ? null : policy.retryIf().getClass().getName();
        return new PolicyDescriptor(method.method().describe(),
                method.isAsync() ? "async" : "sync", settings, retryIf);
    }

    private static List<String> names(List<Class<? extends Throwable>> types) {
        return types.stream().map(Class::getName).toList();
    }

    /**
     * @param policies the policies by name
     * @param unusedInstances names under {@code retry.instances} that no method uses
     */
    public record RetriesDescriptor(Map<String, List<PolicyDescriptor>> policies,
            List<String> unusedInstances) {
    }

    /**
     * @param method the method, {@code com.acme.Inventory.reserve(String)}
     * @param mode {@code sync} or {@code async}
     * @param settings effective values with their sources
     * @param retryIf the predicate class, or null
     */
    public record PolicyDescriptor(String method, String mode,
            Map<String, SettingDescriptor> settings, String retryIf) {
    }

    /**
     * @param value the effective value; delays carry their unit
     * @param source where it came from
     */
    public record SettingDescriptor(Object value, String source) {
    }
}
