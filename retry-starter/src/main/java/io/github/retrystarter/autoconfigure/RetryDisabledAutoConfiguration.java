package io.github.retrystarter.autoconfigure;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With {@code retry.enabled=false} nothing is intercepted, but the {@code retry.*} properties
 * are still checked, so that a test profile that switches retries off still catches a value
 * that would stop the application where they are on.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "retry", name = "enabled", havingValue = "false")
@EnableConfigurationProperties(RetryProperties.class)
public final class RetryDisabledAutoConfiguration {

    @Bean
    SmartInitializingSingleton retryPropertiesValidation(RetryProperties properties) {
        return () -> new PropertiesRetryPolicyFactory(properties, null).validateProperties();
    }
}
