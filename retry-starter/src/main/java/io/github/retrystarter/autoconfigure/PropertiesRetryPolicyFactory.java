package io.github.retrystarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.retrystarter.aop.AnnotationRetryPolicyFactory;
import io.github.retrystarter.aop.RetryPolicyFactory;
import io.github.retrystarter.aop.RetryPredicates;
import io.github.retrystarter.aop.RetryableMethod;
import io.github.retrystarter.core.PolicyResolver;
import io.github.retrystarter.core.PolicyResolver.Layer;
import io.github.retrystarter.core.ResolvedPolicy;
import io.github.retrystarter.core.RetryBudgets;
import io.github.retrystarter.core.RetryConfigurationException;
import io.github.retrystarter.core.RetrySettings;
import io.github.retrystarter.core.Setting;

import org.springframework.beans.factory.BeanFactory;

/**
 * Resolves policies with the properties around the annotation:
 * {@code retry.instances.<name>}, then the annotation, then {@code retry.defaults}, then the
 * built-in defaults.
 */
public final class PropertiesRetryPolicyFactory implements RetryPolicyFactory {

    /** The origin label of values from {@code retry.defaults}. */
    public static final String DEFAULTS = "retry.defaults";
    /** The origin label of values from {@code retry.instances.<name>}. */
    public static final String INSTANCES = "retry.instances";

    private final RetryProperties properties;
    private final BeanFactory beanFactory;
    private final RetryBudgets budgets = new RetryBudgets(System::nanoTime);

    public PropertiesRetryPolicyFactory(RetryProperties properties, BeanFactory beanFactory) {
        this.properties = properties;
        this.beanFactory = beanFactory;
    }

    @Override
    public ResolvedPolicy resolve(RetryableMethod method) {
        List<Layer> layers = new ArrayList<>(4);
        RetryProperties.Spec instance = properties.getInstances().get(method.name());
        if (instance != null) {
            layers.add(instanceLayer(method.name(), instance));
        }
        layers.add(AnnotationRetryPolicyFactory.annotationLayer(method));
        layers.add(defaultsLayer());
        layers.add(AnnotationRetryPolicyFactory.builtInLayer());
        return PolicyResolver.resolve(method.name(), method.describe(),
                RetryPredicates.of(method, beanFactory), layers, budgets);
    }

    /**
     * Checks {@code retry.defaults} and every {@code retry.instances} entry on their own, so
     * that a bad value stops the start even where no method uses it yet.
     *
     * @throws RetryConfigurationException naming the property
     */
    public void validateProperties() {
        PolicyResolver.resolve("retry.defaults", "the defaults", null,
                List.of(defaultsLayer(), AnnotationRetryPolicyFactory.builtInLayer()));
        properties.getInstances().forEach((name, spec) -> PolicyResolver.resolve(name,
                "retry.instances." + name, null, List.of(instanceLayer(name, spec),
                        defaultsLayer(), AnnotationRetryPolicyFactory.builtInLayer())));
    }

    private Layer defaultsLayer() {
        return new Layer(DEFAULTS, toSettings("retry.defaults", properties.getDefaults()),
                setting -> "retry.defaults." + setting.property());
    }

    private static Layer instanceLayer(String name, RetryProperties.Spec spec) {
        String prefix = "retry.instances." + name;
        return new Layer(INSTANCES, toSettings(prefix, spec),
                setting -> prefix + "." + setting.property());
    }

    static RetrySettings toSettings(String prefix, RetryProperties.Spec spec) {
        return RetrySettings.EMPTY
                .base(millis(prefix, Setting.BASE, spec.getBase()))
                .max(millis(prefix, Setting.MAX, spec.getMax()))
                .multiplier(spec.getMultiplier())
                .jitter(spec.getJitter())
                .attempts(spec.getAttempts())
                .retryOn(throwables(prefix, Setting.RETRY_ON, spec.getRetryOn()))
                .abortOn(throwables(prefix, Setting.ABORT_ON, spec.getAbortOn()))
                .attemptTimeout(millis(prefix, Setting.ATTEMPT_TIMEOUT, spec.getAttemptTimeout()))
                .deadline(millis(prefix, Setting.DEADLINE, spec.getDeadline()))
                .budgetRatio(ratio(prefix, spec.getBudget().getRatio()))
                .budgetMinPerSecond(spec.getBudget().getMinPerSecond());
    }

    private static Double ratio(String prefix, Double ratio) {
        if (ratio != null && !(ratio >= 0)) {
            throw new RetryConfigurationException("Invalid retry setting " + prefix
                    + ".budget.ratio: it must be a number of 0 or more (the share of recent"
                    + " calls that may be retried, e.g. 0.1), but was " + ratio + ".");
        }
        return ratio;
    }

    private static Long millis(String prefix, Setting setting, Duration duration) {
        if (duration == null) {
            return null;
        }
        try {
            return duration.toMillis();
        }
        catch (ArithmeticException tooLong) {
            throw new RetryConfigurationException("Invalid retry setting " + prefix + "."
                    + setting.property() + ": " + duration + " does not fit in a long number of"
                    + " milliseconds. Give a shorter duration.", tooLong);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Class<? extends Throwable>> throwables(String prefix, Setting setting,
            List<Class<?>> types) {
        if (types == null) {
            return null;
        }
        List<Class<? extends Throwable>> checked = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            Class<?> type = types.get(i);
            if (type == null || !Throwable.class.isAssignableFrom(type)) {
                throw new RetryConfigurationException("Invalid retry setting " + prefix + "."
                        + setting.property() + "[" + i + "]: " + (type == null ? "null"
                                : type.getName()) + " is not a Throwable. List exception"
                        + " classes by their fully qualified names.");
            }
            checked.add((Class<? extends Throwable>) type);
        }
        return checked;
    }
}
