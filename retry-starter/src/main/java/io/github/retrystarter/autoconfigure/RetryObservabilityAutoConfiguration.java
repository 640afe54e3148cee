package io.github.retrystarter.autoconfigure;

import io.github.retrystarter.context.MicrometerContextPropagation;
import io.github.retrystarter.core.ContextPropagation;
import io.github.retrystarter.metrics.MetricsRetryListener;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The optional Micrometer integrations of retry-starter, each switched on only when its
 * library is present: metrics (with a {@code MeterRegistry} bean) and context propagation.
 */
@AutoConfiguration(after = RetryAutoConfiguration.class, afterName = {
        // where Spring Boot 3.5 and 4.0 create the MeterRegistry
        "org.springframework.boot.actuate.autoconfigure.metrics"
                + ".CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure"
                + ".CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnProperty(prefix = "retry", name = "enabled", matchIfMissing = true)
public final class RetryObservabilityAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static final class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MetricsRetryListener metricsRetryListener(MeterRegistry registry) {
            return new MetricsRetryListener(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.context.ContextSnapshotFactory")
    static final class ContextPropagationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ContextPropagation retryContextPropagation() {
            return ContextPropagation.composite(ContextPropagation.MDC_ONLY,
                    new MicrometerContextPropagation());
        }
    }
}
