package io.github.retrystarter.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.Predicate;

/**
 * Re-invokes the annotated method, with jittered exponential backoff, when it fails with an
 * error worth retrying.
 *
 * <p>On a method, or on a type (then every public method of the bean). It is also found on an
 * interface method that the bean implements and through composed annotations that carry it
 * as a meta-annotation. A method that returns {@code CompletableFuture} or
 * {@code CompletionStage} is retried without blocking a thread; any other method is retried in
 * place, sleeping on the caller's thread between attempts.
 *
 * <p>"Attempt" means every call of the method, the first one included; a "retry" is every
 * attempt after the first. {@code attempts = 5} therefore means one call and up to four
 * retries.
 *
 * <p>Each scalar attribute is an array so that "not written" can be told apart from "written
 * with the default value": write {@code base = 50}, never {@code base = {50, 60}}. An attribute
 * left out is <em>unset</em>: it is taken from {@code retry.defaults} in
 * {@code application.yml}, and from the built-in default when that is unset too. A value
 * written here is kept unless {@code retry.instances.<name>} overrides it.
 *
 * <p>Note that, as with every proxy-based advice, a call from the bean to itself
 * ({@code this.method()}) is not intercepted, and private, final or static methods cannot be
 * intercepted at all; the starter reports the latter at start-up.
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface Retryable {

    /**
     * The policy's name, used by {@code retry.instances.<name>}, by metrics and in logs.
     * Unset by default, which means {@code SimpleClassName.method}.
     */
    String name() default "";

    /**
     * Delay before the first retry, in milliseconds. Unset by default: taken from
     * {@code retry.defaults.base}, built-in 50.
     */
    long[] base() default {};

    /**
     * Cap on any single delay, in milliseconds. Unset by default: taken from
     * {@code retry.defaults.max}, built-in 1000.
     */
    long[] max() default {};

    /**
     * Growth factor between consecutive delays, at least 1. Unset by default: taken from
     * {@code retry.defaults.multiplier}, built-in 2.0.
     */
    double[] multiplier() default {};

    /**
     * Full jitter: each delay is drawn uniformly from {@code [0, d]}. Unset by default: taken
     * from {@code retry.defaults.jitter}, built-in {@code true}.
     */
    boolean[] jitter() default {};

    /**
     * Total calls, the first one included; 1 means never retry. Unset by default: taken from
     * {@code retry.defaults.attempts}, built-in 5.
     */
    int[] attempts() default {};

    /**
     * How long one attempt of an asynchronous method may take, in milliseconds: an attempt
     * whose future has not completed by then is cancelled and counts as a failure of type
     * {@code io.github.retrystarter.core.AttemptTimeoutException}, which is retried unless
     * {@link #abortOn()} names it. Unset by default: taken from
     * {@code retry.defaults.attempt-timeout}, built-in none. 0 means none.
     *
     * <p>Note that it applies only to methods that return {@code CompletableFuture} or
     * {@code CompletionStage}; on another method, written here or under its
     * {@code retry.instances} name, it stops the start.
     */
    long[] attemptTimeout() default {};

    /**
     * How long after the call began a retry may still start, in milliseconds: no retry is
     * scheduled that would start later, and the call ends with its last failure. Unset by
     * default: taken from {@code retry.defaults.deadline}, built-in none. 0 means none.
     */
    long[] deadline() default {};

    /**
     * Retry only these types and their subtypes. Unset (empty) by default: taken from
     * {@code retry.defaults.retry-on}, built-in every {@link Exception}.
     *
     * <p>Note that an {@link Error} is never retried unless this names {@code Error} or one of
     * its subtypes; naming {@code Throwable} does not retry errors.
     */
    Class<? extends Throwable>[] retryOn() default {};

    /**
     * Never retry these types and their subtypes, even when {@link #retryOn()} matches. Unset
     * (empty) by default: taken from {@code retry.defaults.abort-on}, built-in none.
     */
    Class<? extends Throwable>[] abortOn() default {};

    /**
     * A further condition, asked only for errors that {@link #retryOn()} and
     * {@link #abortOn()} let through: the error is retried when it answers {@code true}. The
     * bean of that type is used if the context has exactly one; otherwise an instance is made
     * with its no-argument constructor. The default, {@link AnyError}, adds no condition.
     */
    Class<? extends Predicate<Throwable>> retryIf() default AnyError.class;

    /**
     * The predicate that adds no condition: every error {@code retryOn}/{@code abortOn} let
     * through is retried.
     */
    final class AnyError implements Predicate<Throwable> {

        @Override
        public boolean test(Throwable error) {
            return true;
        }
    }
}
