package io.github.retrystarter.aop;

import io.github.retrystarter.core.ResolvedPolicy;
import io.github.retrystarter.core.RetryPolicy;

/**
 * The effective retry policy of one method on one bean class, resolved once and shared by
 * every call.
 *
 * @param method the method and what its annotation states
 * @param resolved the effective policy with the source of each setting
 */
public record MethodPolicy(RetryableMethod method, ResolvedPolicy resolved) {

    public RetryPolicy policy() {
        return resolved.policy();
    }

    public boolean isAsync() {
        return method.isAsync();
    }
}
