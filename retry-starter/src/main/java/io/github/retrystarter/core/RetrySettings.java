package io.github.retrystarter.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One source's values for a policy's settings, any of which may be unset; immutable. Layers of
 * these (instance properties, annotation, defaults, built-in) are combined by
 * {@link PolicyResolver}. Delays are in milliseconds.
 */
public final class RetrySettings {

    /** No setting set. */
    public static final RetrySettings EMPTY = new RetrySettings(new EnumMap<>(Setting.class));

    /** The built-in defaults, every setting set. */
    public static final RetrySettings BUILT_IN = EMPTY.base(RetryPolicy.DEFAULT_BASE_MILLIS)
            .max(RetryPolicy.DEFAULT_MAX_MILLIS).multiplier(RetryPolicy.DEFAULT_MULTIPLIER)
            .jitter(RetryPolicy.DEFAULT_JITTER).attempts(RetryPolicy.DEFAULT_ATTEMPTS)
            .retryOn(List.of()).abortOn(List.of()).attemptTimeout(0L).deadline(0L)
            .budgetRatio(-1.0).budgetMinPerSecond(RetryPolicy.DEFAULT_BUDGET_MIN_PER_SECOND);

    private final Map<Setting, Object> values;

    private RetrySettings(EnumMap<Setting, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    private RetrySettings with(Setting setting, Object value) {
        EnumMap<Setting, Object> copy = new EnumMap<>(Setting.class);
        copy.putAll(values);
        if (value == null) {
            copy.remove(setting);
        }
        else {
            copy.put(setting, value);
        }
        return new RetrySettings(copy);
    }

    public RetrySettings base(Long millis) {
        return with(Setting.BASE, millis);
    }

    public RetrySettings max(Long millis) {
        return with(Setting.MAX, millis);
    }

    public RetrySettings multiplier(Double multiplier) {
        return with(Setting.MULTIPLIER, multiplier);
    }

    public RetrySettings jitter(Boolean jitter) {
        return with(Setting.JITTER, jitter);
    }

    public RetrySettings attempts(Integer attempts) {
        return with(Setting.ATTEMPTS, attempts);
    }

    /**
     * Sets {@code retryOn}; {@code null} leaves it unset, an empty list sets "every Exception".
     */
    public RetrySettings retryOn(List<Class<? extends Throwable>> types) {
        return with(Setting.RETRY_ON, types == null ? null : List.copyOf(types));
    }

    /** Sets {@code abortOn}; {@code null} leaves it unset. */
    public RetrySettings abortOn(List<Class<? extends Throwable>> types) {
        return with(Setting.ABORT_ON, types == null ? null : List.copyOf(types));
    }

    /** Sets the attempt timeout in milliseconds, 0 for none; {@code null} leaves it unset. */
    public RetrySettings attemptTimeout(Long millis) {
        return with(Setting.ATTEMPT_TIMEOUT, millis);
    }

    /** Sets the deadline in milliseconds, 0 for none; {@code null} leaves it unset. */
    public RetrySettings deadline(Long millis) {
        return with(Setting.DEADLINE, millis);
    }

    /** Sets the budget's ratio, negative for no budget; {@code null} leaves it unset. */
    public RetrySettings budgetRatio(Double ratio) {
        return with(Setting.BUDGET_RATIO, ratio);
    }

    public RetrySettings budgetMinPerSecond(Integer minPerSecond) {
        return with(Setting.BUDGET_MIN_PER_SECOND, minPerSecond);
    }

    /** The value of {@code setting}, or {@code null} when unset. */
    public Object get(Setting setting) {
        return values.get(setting);
    }

    public boolean isSet(Setting setting) {
        return values.containsKey(setting);
    }

    @Override
    public String toString() {
        return "RetrySettings" + values;
    }
}
