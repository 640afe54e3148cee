package io.github.retrystarter.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.retrystarter.core.Outcome;
import io.github.retrystarter.core.RetryListener;
import io.github.retrystarter.core.RetryPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Publishes retry metrics to Micrometer, built on the {@link RetryListener} SPI:
 * <ul>
 * <li>{@code retry.calls} (counter; tags {@code name}, {@code outcome}): one per call, with
 * the outcome {@code success}, {@code recovered}, {@code exhausted}, {@code aborted},
 * {@code cancelled} or {@code throttled};</li>
 * <li>{@code retry.attempts} (counter; tag {@code name}): one per call of the method body;</li>
 * <li>{@code retry.delay} (timer; tag {@code name}): the backoff delay chosen before each
 * retry.</li>
 * </ul>
 * Meters are looked up once per policy and cached.
 */
public final class MetricsRetryListener implements RetryListener {

    /** Name of the counter of calls by outcome. */
    public static final String CALLS = "retry.calls";
    /** Name of the counter of method-body calls. */
    public static final String ATTEMPTS = "retry.attempts";
    /** Name of the timer of chosen backoff delays. */
    public static final String DELAY = "retry.delay";

    private static final Outcome[] OUTCOMES = Outcome.values();

    private final MeterRegistry registry;
    private final Map<RetryPolicy, Meters> meters = new ConcurrentHashMap<>();

    public MetricsRetryListener(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onFailedAttempt(RetryPolicy policy, int attempt, Throwable error,
            long delayMillis) {
        if (delayMillis >= 0) {
            meters(policy).delay.record(delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onOutcome(RetryPolicy policy, Outcome outcome, int attempts, Throwable error) {
        Meters forPolicy = meters(policy);
        forPolicy.calls[outcome.ordinal()].increment();
        forPolicy.attempts.increment(attempts);
    }

    private Meters meters(RetryPolicy policy) {
        Meters found = meters.get(policy);
        return found != null ? found : meters.computeIfAbsent(policy, this::register);
    }

    private Meters register(RetryPolicy policy) {
        String name = policy.name();
        Counter[] calls = new Counter[OUTCOMES.length];
        for (Outcome outcome : OUTCOMES) {
            calls[outcome.ordinal()] = Counter.builder(CALLS)
                    .description("Calls of @Retryable methods, by how they ended")
                    .tag("name", name).tag("outcome", outcome.tagValue()).register(registry);
        }
        Counter attempts = Counter.builder(ATTEMPTS)
                .description("Calls of the bodies of @Retryable methods, first attempts included")
                .tag("name", name).register(registry);
        Timer delay = Timer.builder(DELAY)
                .description("Backoff delays chosen before retries").tag("name", name)
                .register(registry);
        return new Meters(calls, attempts, delay);
    }

    private record Meters(Counter[] calls, Counter attempts, Timer delay) {
    }
}
