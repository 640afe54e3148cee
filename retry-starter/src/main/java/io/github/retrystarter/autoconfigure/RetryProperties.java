package io.github.retrystarter.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.retrystarter.aop.RetryAdvisor;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Settings of retry-starter, under the prefix {@code retry}.
 *
 * <p>Precedence, highest first: {@code retry.instances.<name>}, what the annotation states
 * explicitly, {@code retry.defaults}, the built-in defaults.
 */
@ConfigurationProperties(prefix = "retry")
public class RetryProperties {

    /**
     * Whether @Retryable methods are intercepted at all. When false, each method runs once.
     */
    private boolean enabled = true;

    /**
     * Order of the retry advice among other advice on the same bean. The default puts it
     * just outside @Transactional at its default order, so that each attempt gets a fresh
     * transaction; lower values run further out.
     */
    private int order = RetryAdvisor.DEFAULT_ORDER;

    /** Values for whatever an annotation leaves unset. */
    private Spec defaults = new Spec();

    /**
     * Overrides by policy name, i.e. @Retryable(name = ...) or SimpleClassName.method. These
     * win over what the annotation states.
     */
    private Map<String, Spec> instances = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getOrder() {
        return order;
    }

    public void setOrder(int order) {
        this.order = order;
    }

    public Spec getDefaults() {
        return defaults;
    }

    public void setDefaults(Spec defaults) {
        this.defaults = defaults;
    }

    public Map<String, Spec> getInstances() {
        return instances;
    }

    public void setInstances(Map<String, Spec> instances) {
        this.instances = instances;
    }

    /**
     * One set of retry settings; a field left unset falls through to the next source. The
     * built-in value of each is given in its description.
     */
    public static class Spec {

        /**
         * Delay before the first retry; a bare number is milliseconds. Built-in: 50ms.
         */
        @DurationUnit(ChronoUnit.MILLIS)
        private Duration base;

        /** Cap on any single delay; a bare number is milliseconds. Built-in: 1s. */
        @DurationUnit(ChronoUnit.MILLIS)
        private Duration max;

        /** Growth factor between consecutive delays, at least 1. Built-in: 2.0. */
        private Double multiplier;

        /**
         * Full jitter: each delay is drawn uniformly from [0, d]. Built-in: true.
         */
        private Boolean jitter;

        /**
         * Total calls, the first one included; 1 means never retry. Built-in: 5.
         */
        private Integer attempts;

        /**
         * Retry only these exception types and their subtypes, as fully qualified class names.
         * Built-in: every Exception (never an Error unless one is listed).
         */
        private List<Class<?>> retryOn;

        /**
         * Never retry these exception types and their subtypes, even when retry-on matches.
         * Built-in: none.
         */
        private List<Class<?>> abortOn;

        /**
         * How long one attempt of an asynchronous method may take before it is cancelled and
         * retried; 0 for no limit. Synchronous methods ignore it when it comes from
         * retry.defaults. Built-in: no limit.
         */
        @DurationUnit(ChronoUnit.MILLIS)
        private Duration attemptTimeout;

        /**
         * How long after a call began a retry may still start; 0 for no limit. Built-in: no
         * limit.
         */
        @DurationUnit(ChronoUnit.MILLIS)
        private Duration deadline;

        /** Caps retries at a share of recent calls. Built-in: no cap. */
        private final Budget budget = new Budget();

        public Duration getAttemptTimeout() {
            return attemptTimeout;
        }

        public void setAttemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
        }

        public Duration getDeadline() {
            return deadline;
        }

        public void setDeadline(Duration deadline) {
            this.deadline = deadline;
        }

        public Budget getBudget() {
            return budget;
        }

        public Duration getBase() {
            return base;
        }

        public void setBase(Duration base) {
            this.base = base;
        }

        public Duration getMax() {
            return max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }

        public Double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(Double multiplier) {
            this.multiplier = multiplier;
        }

        public Boolean getJitter() {
            return jitter;
        }

        public void setJitter(Boolean jitter) {
            this.jitter = jitter;
        }

        public Integer getAttempts() {
            return attempts;
        }

        public void setAttempts(Integer attempts) {
            this.attempts = attempts;
        }

        public List<Class<?>> getRetryOn() {
            return retryOn;
        }

        public void setRetryOn(List<Class<?>> retryOn) {
            this.retryOn = retryOn == null ? null : new ArrayList<>(retryOn);
        }

        public List<Class<?>> getAbortOn() {
            return abortOn;
        }

        public void setAbortOn(List<Class<?>> abortOn) {
            this.abortOn = abortOn == null ? null : new ArrayList<>(abortOn);
        }
    }

    /**
     * A retry budget, in the manner of gRPC's retry throttling: retries are allowed while
     * those of the last 10 seconds stay under ratio times the calls of that window, plus
     * min-per-second retries per second always allowed. When it is spent, a call ends at once
     * with its last failure (outcome "throttled"). Shared by every method with the same name.
     */
    public static class Budget {

        /**
         * Share of recent calls that may be retried, e.g. 0.1. Setting it switches the budget
         * on. Built-in: unset (no budget).
         */
        private Double ratio;

        /** Retries always allowed per second, whatever the ratio. Built-in: 10. */
        private Integer minPerSecond;

        public Double getRatio() {
            return ratio;
        }

        public void setRatio(Double ratio) {
            this.ratio = ratio;
        }

        public Integer getMinPerSecond() {
            return minPerSecond;
        }

        public void setMinPerSecond(Integer minPerSecond) {
            this.minPerSecond = minPerSecond;
        }
    }
}
