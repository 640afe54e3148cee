package io.github.retrystarter.sample.quotes;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the quote service calls the downstream, under the prefix {@code sample.quotes}.
 *
 * @param connectTimeout the longest wait for a connection
 * @param requestTimeout the longest wait for an answer, per attempt
 */
@ConfigurationProperties(prefix = "sample.quotes")
public record QuoteClientProperties(
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("2s") Duration requestTimeout) {
}
