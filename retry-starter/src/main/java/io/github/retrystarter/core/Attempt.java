package io.github.retrystarter.core;

/**
 * One call of the operation being retried; called again for each attempt.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Attempt<T> {

    /** Runs the operation once. Any throwable it throws is classified by the policy. */
    T call() throws Throwable;
}
