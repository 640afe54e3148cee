package io.github.retrystarter.sample.downstream;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the flaky downstream misbehaves, under the prefix {@code sample.downstream}.
 *
 * @param failuresPerId how many times each id is answered with 503 before a 200
 * @param outageIds ids that are always answered with 503
 * @param slowIds ids whose answer is held back by {@code slowDelay}, to show timeouts
 * @param slowDelay how long the answer for a slow id is held back
 * @param brokenIds ids that are always answered with 500, an error not worth a retry
 */
@ConfigurationProperties(prefix = "sample.downstream")
public record DownstreamProperties(
        @DefaultValue("2") int failuresPerId,
        @DefaultValue("outage") Set<String> outageIds,
        @DefaultValue("slow") Set<String> slowIds,
        @DefaultValue("3s") Duration slowDelay,
        @DefaultValue("broken") Set<String> brokenIds) {
}
