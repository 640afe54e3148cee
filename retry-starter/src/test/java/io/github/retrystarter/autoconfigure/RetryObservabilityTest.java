package io.github.retrystarter.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.retrystarter.actuate.RetriesEndpoint;
import io.github.retrystarter.actuate.RetriesEndpoint.PolicyDescriptor;
import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.core.Outcome;
import io.github.retrystarter.core.RetryListener;
import io.github.retrystarter.core.RetryPolicy;
import io.github.retrystarter.metrics.MetricsRetryListener;
import io.micrometer.context.ContextRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryObservabilityTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class,
                    RetryObservabilityAutoConfiguration.class,
                    RetryEndpointAutoConfiguration.class))
            .withPropertyValues("retry.defaults.base=0", "retry.defaults.max=0")
            .withBean(SimpleMeterRegistry.class).withBean(Calls.class);

    @Test
    void countsEveryOutcomeOnceWithItsAttempts() {
        runner.run(context -> {
            Calls calls = context.getBean(Calls.class);
            calls.sync("ok", 0);
            calls.sync("recovers", 2);
            assertThatThrownBy(() -> calls.sync("exhausted", 9)).isInstanceOf(
                    IOException.class);
            assertThatThrownBy(() -> calls.aborts()).isInstanceOf(
                    IllegalArgumentException.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(calls(registry, "Calls.sync", "success")).isEqualTo(1);
            assertThat(calls(registry, "Calls.sync", "recovered")).isEqualTo(1);
            assertThat(calls(registry, "Calls.sync", "exhausted")).isEqualTo(1);
            assertThat(calls(registry, "Calls.aborts", "aborted")).isEqualTo(1);
            assertThat(attempts(registry, "Calls.sync")).isEqualTo(1 + 3 + 4);
            assertThat(attempts(registry, "Calls.aborts")).isEqualTo(1);
            assertThat(registry.get(MetricsRetryListener.DELAY).tag("name", "Calls.sync")
                    .timer().count()).isEqualTo(2 + 3);
        });
    }

    @Test
    void countsAThousandConcurrentAsyncCallsExactlyOnce() {
        runner.run(context -> {
            Calls calls = context.getBean(Calls.class);
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                results.add(calls.async("call-" + i));
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture<?>[]::new))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(calls(registry, "Calls.async", "recovered")).isEqualTo(1000);
            assertThat(calls(registry, "Calls.async", "success")).isZero();
            assertThat(attempts(registry, "Calls.async")).isEqualTo(3000);
        });
    }

    @Test
    void countsACancelledCall() {
        runner.withPropertyValues("retry.instances[Calls.async].base=1m",
                "retry.instances[Calls.async].max=1m").run(context -> {
                    CompletableFuture<String> result = context.getBean(Calls.class)
                            .async("cancel-me");
                    result.cancel(true);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(calls(registry, "Calls.async", "cancelled")).isEqualTo(1);
                    assertThat(attempts(registry, "Calls.async")).isEqualTo(1);
                });
    }

    @Test
    void countsEachCallOnceWhenAProxiedBeanIsReExposedUnderItsInterface() {
        runner.withUserConfiguration(ReExposed.class).run(context -> {
            Charging exposed = context.getBean("exposed", Charging.class);
            assertThat(((org.springframework.aop.framework.Advised) exposed).getTargetSource()
                    .getTarget()).matches(org.springframework.aop.support.AopUtils::isAopProxy);
            assertThatThrownBy(exposed::charge).hasMessage("charge 3");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(calls(registry, "Billing.charge", "exhausted")).isEqualTo(1);
            assertThat(attempts(registry, "Billing.charge")).isEqualTo(3);
        });
    }

    @Test
    void carriesMicrometerRegisteredThreadLocalsOntoRetries() {
        ThreadLocal<String> tenant = new ThreadLocal<>();
        ContextRegistry.getInstance().registerThreadLocalAccessor("test.tenant", tenant);
        try {
            runner.run(context -> {
                Calls calls = context.getBean(Calls.class);
                tenant.set("tenant-7");
                CompletableFuture<String> result;
                try {
                    result = calls.asyncSeeing("tenant", tenant::get);
                }
                finally {
                    tenant.remove();
                }
                assertThat(result).succeedsWithin(Duration.ofSeconds(5));
                assertThat(calls.traceIds("tenant")).containsExactly("tenant-7", "tenant-7",
                        "tenant-7");
            });
        }
        finally {
            ContextRegistry.getInstance().removeThreadLocalAccessor("test.tenant");
        }
    }

    @Test
    void startsWithoutMicrometerAndPublishesNothing() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class,
                        RetryObservabilityAutoConfiguration.class,
                    RetryEndpointAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withBean(Calls.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(MetricsRetryListener.class);
                    assertThat(context.getBean(Calls.class).sync("ok", 0)).isEqualTo("ok");
                });
    }

    @Test
    void aThrowingListenerNeverBreaksTheCall() {
        runner.withBean(RetryListener.class, ThrowingListener::new).run(context -> {
            Calls calls = context.getBean(Calls.class);
            assertThat(calls.sync("still-recovers", 2)).isEqualTo("still-recovers");
            CompletableFuture<String> async = calls.async("async-still-recovers");
            assertThat(async).succeedsWithin(Duration.ofSeconds(5));
            assertThatThrownBy(() -> calls.sync("fails", 9)).isInstanceOf(IOException.class)
                    .satisfies(error -> assertThat(error.getSuppressed())
                            .anyMatch(s -> s.getMessage().equals("listener broke")));
        });
    }

    @Test
    void aRetriedAttemptCarriesTheCallersMdc() {
        runner.run(context -> {
            Calls calls = context.getBean(Calls.class);
            MDC.put("traceId", "trace-42");
            CompletableFuture<String> result;
            try {
                result = calls.async("mdc");
            }
            finally {
                MDC.remove("traceId");
            }
            assertThat(result).succeedsWithin(Duration.ofSeconds(5));
            assertThat(calls.traceIds("mdc")).containsExactly("trace-42", "trace-42",
                    "trace-42");
            assertThat(calls.threads("mdc").get(2)).startsWith("retry-");
        });
    }

    @Test
    void theEndpointListsEachPolicyWithItsSettingsAndTheirSources() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=retries",
                "retry.defaults.attempts=7", "retry.instances[Calls.sync].base=3s",
                "retry.instances[Calls.sync].max=5s", "retry.instances.unused.attempts=2")
                .run(context -> {
                    RetriesEndpoint endpoint = context.getBean(RetriesEndpoint.class);
                    RetriesEndpoint.RetriesDescriptor all = endpoint.retries();
                    assertThat(all.policies()).containsKeys("Calls.sync", "Calls.async",
                            "Calls.aborts");
                    assertThat(all.unusedInstances()).containsExactly("unused");
                    PolicyDescriptor sync = all.policies().get("Calls.sync").get(0);
                    assertThat(sync.method()).endsWith("Calls.sync(String, int)");
                    assertThat(sync.mode()).isEqualTo("sync");
                    assertThat(sync.settings().get("base").value()).isEqualTo("3000ms");
                    assertThat(sync.settings().get("base").source())
                            .isEqualTo("retry.instances");
                    assertThat(sync.settings().get("attempts").value()).isEqualTo(4);
                    assertThat(sync.settings().get("attempts").source())
                            .isEqualTo("annotation");
                    PolicyDescriptor async = endpoint.policy("Calls.async").get(0);
                    assertThat(async.settings().get("attempts").value()).isEqualTo(7);
                    assertThat(async.settings().get("attempts").source())
                            .isEqualTo("retry.defaults");
                    assertThat(async.settings().get("multiplier").source())
                            .isEqualTo("built-in");
                    assertThat(endpoint.policy("nope")).isNull();
                });
    }

    @Test
    void theEndpointIsAbsentWhenActuatorIsMissing() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(RetriesEndpoint.class);
                });
    }

    @Test
    void theMetadataNamesEveryPropertyWithADescription() throws IOException {
        DocumentContext metadata;
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("metadata generated into the jar").isNotNull();
            metadata = JsonPath.parse(in);
        }
        for (String name : List.of("retry.enabled", "retry.order", "retry.instances",
                "retry.defaults.base", "retry.defaults.max", "retry.defaults.multiplier",
                "retry.defaults.jitter", "retry.defaults.attempts", "retry.defaults.retry-on",
                "retry.defaults.abort-on", "retry.defaults.attempt-timeout",
                "retry.defaults.deadline", "retry.defaults.budget.ratio",
                "retry.defaults.budget.min-per-second")) {
            assertThat(property(metadata, name, "description")).as(name)
                    .singleElement().asString().isNotBlank();
        }
        assertThat(property(metadata, "retry.defaults.base", "defaultValue"))
                .containsExactly(RetryPolicy.DEFAULT_BASE_MILLIS + "ms");
        assertThat(property(metadata, "retry.defaults.attempts", "defaultValue"))
                .containsExactly(RetryPolicy.DEFAULT_ATTEMPTS);
        assertThat(property(metadata, "retry.defaults.multiplier", "defaultValue"))
                .singleElement().satisfies(value -> assertThat(((Number) value).doubleValue())
                        .isEqualTo(RetryPolicy.DEFAULT_MULTIPLIER));
        assertThat(property(metadata, "retry.defaults.jitter", "defaultValue"))
                .containsExactly(RetryPolicy.DEFAULT_JITTER);
        assertThat(property(metadata, "retry.defaults.max", "defaultValue"))
                .containsExactly("1s");
        assertThat(property(metadata, "retry.order", "defaultValue"))
                .containsExactly(new RetryProperties().getOrder());
        assertThat(metadata.read("$.hints[*].name", List.class).toString())
                .contains("retry.defaults.retry-on");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> property(DocumentContext metadata, String name, String field) {
        return metadata.read("$.properties[?(@.name == '" + name + "')]." + field, List.class);
    }

    private static double calls(MeterRegistry registry, String name, String outcome) {
        return registry.get(MetricsRetryListener.CALLS).tag("name", name)
                .tag("outcome", outcome).counter().count();
    }

    private static double attempts(MeterRegistry registry, String name) {
        return registry.get(MetricsRetryListener.ATTEMPTS).tag("name", name).counter().count();
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class ReExposed {

        @org.springframework.context.annotation.Bean
        Billing billing() {
            return new Billing();
        }

        @org.springframework.context.annotation.Bean
        Charging exposed(Billing billing) {
            return billing;
        }
    }

    public interface Charging {

        String charge();
    }

    public static class Billing implements Charging {

        private final AtomicInteger calls = new AtomicInteger();

        @Override
        @Retryable(attempts = 3)
        public String charge() {
            throw new IllegalStateException("charge " + calls.incrementAndGet());
        }
    }

    static class ThrowingListener implements RetryListener {

        @Override
        public void onFailedAttempt(RetryPolicy policy, int attempt, Throwable error,
                long delayMillis) {
            throw new IllegalStateException("listener broke");
        }

        @Override
        public void onOutcome(RetryPolicy policy, Outcome outcome, int attempts,
                Throwable error) {
            throw new IllegalStateException("listener broke");
        }
    }

    public static class Calls {

        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final Map<String, List<String>> traceIds = new ConcurrentHashMap<>();
        private final Map<String, List<String>> threads = new ConcurrentHashMap<>();

        @Retryable(attempts = 4)
        public String sync(String id, int failures) throws IOException {
            if (count(id) <= failures) {
                throw new IOException(id + " failed");
            }
            return id;
        }

        @Retryable(abortOn = IllegalArgumentException.class)
        public String aborts() {
            throw new IllegalArgumentException("not worth retrying");
        }

        @Retryable
        public CompletableFuture<String> async(String id) {
            return asyncSeeing(id, () -> MDC.get("traceId"));
        }

        /** Fails twice, recording what {@code context} sees in each attempt. */
        @Retryable(name = "Calls.async")
        public CompletableFuture<String> asyncSeeing(String id, Supplier<String> context) {
            traceIds.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                    .add(String.valueOf(context.get()));
            threads.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                    .add(Thread.currentThread().getName());
            if (count(id) <= 2) {
                return CompletableFuture.failedFuture(new IOException(id + " failed"));
            }
            return CompletableFuture.completedFuture(id);
        }

        public List<String> traceIds(String id) {
            return traceIds.get(id);
        }

        public List<String> threads(String id) {
            return threads.get(id);
        }

        private int count(String id) {
            return counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
    }
}
