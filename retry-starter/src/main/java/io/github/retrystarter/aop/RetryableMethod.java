package io.github.retrystarter.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.core.RetryConfigurationException;
import io.github.retrystarter.core.RetrySettings;
import io.github.retrystarter.core.Setting;

import org.springframework.util.ClassUtils;

/**
 * A method of a bean class together with the {@link Retryable} that applies to it, read once:
 * the policy name, the settings the annotation states explicitly, the retry predicate type and
 * whether the method is retried synchronously or asynchronously.
 */
public final class RetryableMethod {

    private static final String REACTIVE_STREAMS_PUBLISHER = "org.reactivestreams.Publisher";

    private final Method method;
    private final Class<?> beanClass;
    private final String name;
    private final RetrySettings settings;
    private final Class<? extends Predicate<Throwable>> retryIf;
    private final boolean async;

    private RetryableMethod(Method method, Class<?> beanClass, Retryable annotation) {
        this.method = method;
        this.beanClass = beanClass;
        this.name = annotation.name().isEmpty()
                ? beanClass.getSimpleName() + "." + method.getName() : annotation.name();
        this.settings = readSettings(annotation);
        this.retryIf = annotation.retryIf();
        this.async = isAsync(method, beanClass);
    }

    /**
     * Reads {@code annotation} as it applies to {@code method} of {@code beanClass}.
     *
     * @throws RetryConfigurationException when an attribute holds more than one value, or the
     *         return type cannot be retried
     */
    static RetryableMethod of(Method method, Class<?> beanClass, Retryable annotation) {
        return new RetryableMethod(method, ClassUtils.getUserClass(beanClass), annotation);
    }

    private RetrySettings readSettings(Retryable annotation) {
        return RetrySettings.EMPTY
                .base(single(Setting.BASE, Arrays.stream(annotation.base()).boxed().toList()))
                .max(single(Setting.MAX, Arrays.stream(annotation.max()).boxed().toList()))
                .multiplier(single(Setting.MULTIPLIER,
                        Arrays.stream(annotation.multiplier()).boxed().toList()))
                .jitter(single(Setting.JITTER, booleans(annotation.jitter())))
                .attempts(single(Setting.ATTEMPTS,
                        Arrays.stream(annotation.attempts()).boxed().toList()))
                .attemptTimeout(single(Setting.ATTEMPT_TIMEOUT,
                        Arrays.stream(annotation.attemptTimeout()).boxed().toList()))
                .deadline(single(Setting.DEADLINE,
                        Arrays.stream(annotation.deadline()).boxed().toList()))
                .retryOn(annotation.retryOn().length == 0 ? null : List.of(annotation.retryOn()))
                .abortOn(annotation.abortOn().length == 0 ? null : List.of(annotation.abortOn()));
    }

    private static List<Boolean> booleans(boolean[] values) {
        Boolean[] boxed = new Boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }

    private <T> T single(Setting setting, List<T> values) {
        if (values.size() > 1) {
            throw new RetryConfigurationException("@Retryable(" + setting.attribute() + " = "
                    + values.stream().map(String::valueOf).collect(Collectors.joining(", ", "{",
                            "}"))
                    + ") on " + describe() + " has more than one value. Write a single value,"
                    + " e.g. " + setting.attribute() + " = " + values.get(0) + ".");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private static boolean isAsync(Method method, Class<?> beanClass) {
        Class<?> type = method.getReturnType();
        if (type == CompletableFuture.class || type == CompletionStage.class) {
            return true;
        }
        String where = beanClass.getName() + "." + method.getName();
        if (CompletionStage.class.isAssignableFrom(type)) {
            throw new RetryConfigurationException("@Retryable method " + where + " returns "
                    + type.getName() + "; a retried future is a CompletableFuture, which is not"
                    + " one. Declare the return type as CompletableFuture or CompletionStage.");
        }
        if (Future.class.isAssignableFrom(type)) {
            throw new RetryConfigurationException("@Retryable method " + where + " returns "
                    + type.getName() + ", which cannot be retried without blocking a thread."
                    + " Declare the return type as CompletableFuture or CompletionStage.");
        }
        if (isReactive(type)) {
            throw new RetryConfigurationException("@Retryable method " + where + " returns "
                    + type.getName() + ", a lazy reactive type that would complete its"
                    + " subscription outside the retry. Use the reactive library's own retry"
                    + " operator (for Reactor, retryWhen) or return a CompletableFuture.");
        }
        return false;
    }

    private static boolean isReactive(Class<?> type) {
        if (Flow.Publisher.class.isAssignableFrom(type)) {
            return true;
        }
        for (Class<?> candidate : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            if (candidate.getName().equals(REACTIVE_STREAMS_PUBLISHER)) {
                return true;
            }
        }
        return type.isInterface() && type.getName().equals(REACTIVE_STREAMS_PUBLISHER);
    }

    /** Why a proxy cannot intercept {@code method}, or {@code null} when it can. */
    public static String unreachableReason(Method method) {
        int modifiers = method.getModifiers();
        if (Modifier.isStatic(modifiers)) {
            return "static";
        }
        if (Modifier.isPrivate(modifiers)) {
            return "private";
        }
        if (Modifier.isFinal(modifiers)) {
            return "final";
        }
        return null;
    }

    public Method method() {
        return method;
    }

    /** The bean's user class (without CGLIB suffixes). */
    public Class<?> beanClass() {
        return beanClass;
    }

    /** The policy name: the annotation's, or {@code SimpleClassName.method}. */
    public String name() {
        return name;
    }

    /** The settings the annotation states explicitly; the rest are unset. */
    public RetrySettings settings() {
        return settings;
    }

    /** The predicate type, {@link Retryable.AnyError} when none was written. */
    public Class<? extends Predicate<Throwable>> retryIf() {
        return retryIf;
    }

    /** Whether the method returns {@code CompletableFuture}/{@code CompletionStage}. */
    public boolean isAsync() {
        return async;
    }

    /** {@code com.acme.Inventory.reserve(String, int)}, for messages. */
    public String describe() {
        return beanClass.getName() + "." + method.getName() + Arrays.stream(
                method.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    @Override
    public String toString() {
        return describe();
    }
}
