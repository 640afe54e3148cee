package io.github.retrystarter.core;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Combines layers of {@link RetrySettings}, highest precedence first, into a
 * {@link RetryPolicy}: each setting comes from the first layer that sets it. A bad value is
 * reported with the place it was written, so the message leads straight to the fix.
 */
public final class PolicyResolver {

    private PolicyResolver() {
    }

    /**
     * One source of settings.
     *
     * @param origin a short label for reports, such as {@code retry.instances}
     * @param settings its values
     * @param locator names where a setting of this layer is written, such as
     *        {@code retry.instances.inventory.base}
     */
    public record Layer(String origin, RetrySettings settings, Function<Setting, String> locator) {
    }

    /**
     * Resolves a policy. The last layer should set every setting, as
     * {@link RetrySettings#BUILT_IN} does.
     *
     * @param name the policy's name
     * @param subject what the policy is for, used in messages, e.g. a method
     * @param retryIf the extra retry condition, or {@code null}
     * @param layers highest precedence first
     * @throws RetryConfigurationException when a value breaks a rule
     */
    public static ResolvedPolicy resolve(String name, String subject,
            Predicate<Throwable> retryIf, List<Layer> layers) {
        return resolve(name, subject, retryIf, layers, null);
    }

    /**
     * Resolves a policy, taking its budget, if it has one, from {@code budgets}.
     *
     * @param budgets the shared budgets by name; null to make a new one
     * @see #resolve(String, String, Predicate, List)
     */
    @SuppressWarnings("unchecked")
    public static ResolvedPolicy resolve(String name, String subject,
            Predicate<Throwable> retryIf, List<Layer> layers, RetryBudgets budgets) {
        Map<Setting, Layer> chosen = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            for (Layer layer : layers) {
                if (layer.settings().isSet(setting)) {
                    chosen.put(setting, layer);
                    break;
                }
            }
            if (!chosen.containsKey(setting)) {
                throw new IllegalArgumentException("No layer sets " + setting);
            }
        }
        RetryPolicy.Builder builder = RetryPolicy.builder(name).retryIf(retryIf);
        Function<Setting, Object> value = setting -> chosen.get(setting).settings().get(setting);
        apply(name, subject, chosen, Setting.ATTEMPTS,
                () -> builder.attempts((Integer) value.apply(Setting.ATTEMPTS)));
        apply(name, subject, chosen, Setting.BASE,
                () -> builder.base((Long) value.apply(Setting.BASE)));
        apply(name, subject, chosen, Setting.MAX,
                () -> builder.max((Long) value.apply(Setting.MAX)));
        apply(name, subject, chosen, Setting.MULTIPLIER,
                () -> builder.multiplier((Double) value.apply(Setting.MULTIPLIER)));
        builder.jitter((Boolean) value.apply(Setting.JITTER));
        apply(name, subject, chosen, Setting.RETRY_ON, () -> builder.retryOn(
                (List<Class<? extends Throwable>>) value.apply(Setting.RETRY_ON)));
        apply(name, subject, chosen, Setting.ABORT_ON, () -> builder.abortOn(
                (List<Class<? extends Throwable>>) value.apply(Setting.ABORT_ON)));
        apply(name, subject, chosen, Setting.ATTEMPT_TIMEOUT,
                () -> builder.attemptTimeout((Long) value.apply(Setting.ATTEMPT_TIMEOUT)));
        apply(name, subject, chosen, Setting.DEADLINE,
                () -> builder.deadline((Long) value.apply(Setting.DEADLINE)));
        int minPerSecond = (Integer) value.apply(Setting.BUDGET_MIN_PER_SECOND);
        apply(name, subject, chosen, Setting.BUDGET_MIN_PER_SECOND, () -> {
            if (minPerSecond < 0) {
                throw new IllegalArgumentException("budget.min-per-second must be 0 or"
                        + " more, but was " + minPerSecond);
            }
        });
        double ratio = (Double) value.apply(Setting.BUDGET_RATIO);
        if (ratio >= 0 || Double.isNaN(ratio)) {
            apply(name, subject, chosen, Setting.BUDGET_RATIO, () -> builder.budget(
                    budgets == null ? new RetryBudget(ratio, minPerSecond, System::nanoTime)
                            : budgets.forName(name, ratio, minPerSecond)));
        }
        RetryPolicy policy;
        try {
            policy = builder.build();
        }
        catch (IllegalArgumentException maxBelowBase) {
            throw new RetryConfigurationException("Invalid retry settings for policy '" + name
                    + "' (" + subject + "): max is " + value.apply(Setting.MAX) + " ms, from "
                    + locate(chosen, Setting.MAX) + ", but base is " + value.apply(Setting.BASE)
                    + " ms, from " + locate(chosen, Setting.BASE) + "; max must be at least"
                    + " base. Raise max or lower base (to change a built-in default, write the"
                    + " setting on the annotation or in retry.defaults).", maxBelowBase);
        }
        Map<Setting, String> sources = new EnumMap<>(Setting.class);
        chosen.forEach((setting, layer) -> sources.put(setting, layer.origin()));
        return new ResolvedPolicy(policy, sources);
    }

    private static void apply(String name, String subject, Map<Setting, Layer> chosen,
            Setting setting, Runnable step) {
        try {
            step.run();
        }
        catch (IllegalArgumentException error) {
            throw invalid(name, subject, locate(chosen, setting), error);
        }
    }

    private static String locate(Map<Setting, Layer> chosen, Setting setting) {
        return chosen.get(setting).locator().apply(setting);
    }

    private static RetryConfigurationException invalid(String name, String subject,
            String where, IllegalArgumentException rule) {
        return new RetryConfigurationException("Invalid retry setting " + where + " for policy '"
                + name + "' (" + subject + "): " + rule.getMessage()
                + ". Correct the value there.", rule);
    }
}
