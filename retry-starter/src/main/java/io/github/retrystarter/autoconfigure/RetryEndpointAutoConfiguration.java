package io.github.retrystarter.autoconfigure;

import io.github.retrystarter.actuate.RetriesEndpoint;
import io.github.retrystarter.aop.RetryableMethodRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The Actuator endpoint {@code retries}, when Spring Boot Actuator is present and the
 * endpoint is exposed.
 *
 * <p>Note that this is a class of its own, conditional on Actuator's auto-configuration by
 * name, so that its endpoint condition is never loaded in an application without Actuator.
 */
@AutoConfiguration(after = RetryAutoConfiguration.class)
@ConditionalOnClass(name = RetryEndpointAutoConfiguration.ACTUATOR_CONDITION)
@ConditionalOnBean(RetryableMethodRegistry.class)
public final class RetryEndpointAutoConfiguration {

    static final String ACTUATOR_CONDITION = "org.springframework.boot.actuate.autoconfigure"
            + ".endpoint.condition.ConditionalOnAvailableEndpoint";

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = RetriesEndpoint.class)
    RetriesEndpoint retriesEndpoint(RetryableMethodRegistry registry,
            RetryProperties properties) {
        return new RetriesEndpoint(registry, properties.getInstances().keySet());
    }
}
