package io.github.retrystarter.core;

import java.util.Map;

/**
 * A {@link RetryPolicy} with where each of its settings came from.
 *
 * @param policy the policy
 * @param sources for each setting, the origin of the layer that supplied it, such as
 *        {@code annotation}, {@code retry.defaults}, {@code retry.instances} or
 *        {@code built-in}
 */
public record ResolvedPolicy(RetryPolicy policy, Map<Setting, String> sources) {

    public ResolvedPolicy {
        sources = Map.copyOf(sources);
    }
}
