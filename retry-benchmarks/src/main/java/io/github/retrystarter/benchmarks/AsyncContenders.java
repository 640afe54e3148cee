package io.github.retrystarter.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.autoconfigure.RetryAutoConfiguration;
import io.github.retrystarter.core.Retrier;
import io.github.retrystarter.core.RetryPolicy;
import io.github.retrystarter.core.RetryScheduler;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The contenders of the async-scale and timer programs: each retries {@link Call#attempt()}
 * at most twice in all, after a fixed delay, without jitter. The peers get a scheduler of
 * {@value #PEER_THREADS} threads, as small as retry-starter's one timer thread plus its
 * executor of as many threads as cores (two here).
 */
public enum AsyncContenders {

    /** retry-starter as an application uses it: an annotated bean in a Spring context. */
    RETRY_STARTER {
        @Override
        Target create(long delayMillis, RetryScheduler timer) {
            SpringApplicationBuilder builder = new SpringApplicationBuilder(ScaleConfig.class)
                    .web(WebApplicationType.NONE)
                    .logStartupInfo(false)
                    .properties("spring.main.banner-mode=off", "logging.level.root=WARN",
                            "retry.instances.scale.base=" + delayMillis + "ms",
                            "retry.instances.scale.max=" + delayMillis + "ms");
            if (timer != null) {
                builder.initializers(context -> context.getBeanFactory()
                        .registerSingleton("retryScheduler", timer));
            }
            ConfigurableApplicationContext context = builder.run();
            ScaleService service = context.getBean(ScaleService.class);
            return new Target() {
                @Override
                public CompletableFuture<Long> call(Call call) {
                    return service.attempt(call);
                }

                @Override
                public void close() {
                    context.close();
                }
            };
        }
    },

    /** retry-starter's core without Spring: {@link Retrier#callAsync}. */
    RETRY_STARTER_CORE {
        @Override
        Target create(long delayMillis, RetryScheduler timer) {
            Retrier.Builder builder = Retrier.builder();
            if (timer != null) {
                builder.scheduler(timer);
            }
            Retrier retrier = builder.build();
            RetryPolicy policy = RetryPolicy.builder("scale").attempts(2).base(delayMillis)
                    .max(delayMillis).jitter(false).build();
            return new Target() {
                @Override
                public CompletableFuture<Long> call(Call call) {
                    return retrier.callAsync(policy, call::attempt);
                }

                @Override
                public void close() {
                    retrier.close();
                }
            };
        }
    },

    /** Resilience4j's {@code Retry.executeCompletionStage} on a small scheduler. */
    RESILIENCE4J {
        @Override
        Target create(long delayMillis, RetryScheduler timer) {
            Retry retry = Retry.of("scale", RetryConfig.custom().maxAttempts(2)
                    .waitDuration(Duration.ofMillis(delayMillis)).build());
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(PEER_THREADS);
            return new Target() {
                @Override
                public CompletableFuture<Long> call(Call call) {
                    return retry.executeCompletionStage(scheduler, call::attempt)
                            .toCompletableFuture();
                }

                @Override
                public void close() {
                    scheduler.shutdownNow();
                }
            };
        }
    },

    /** Failsafe's {@code getStageAsync} on a small scheduler. */
    FAILSAFE {
        @Override
        Target create(long delayMillis, RetryScheduler timer) {
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(PEER_THREADS);
            dev.failsafe.RetryPolicy<Long> policy = dev.failsafe.RetryPolicy.<Long>builder()
                    .handle(Exception.class).withMaxAttempts(2)
                    .withDelay(Duration.ofMillis(delayMillis)).build();
            FailsafeExecutor<Long> failsafe = Failsafe.with(policy).with(scheduler);
            return new Target() {
                @Override
                public CompletableFuture<Long> call(Call call) {
                    return failsafe.getStageAsync(call::attempt);
                }

                @Override
                public void close() {
                    scheduler.shutdownNow();
                }
            };
        }
    };

    /** The threads of the peers' schedulers. */
    static final int PEER_THREADS = 2;

    /**
     * Sets the contender up.
     *
     * @param delayMillis the fixed delay before the retry
     * @param timer for retry-starter only, the timer to use instead of its default; ignored
     *        by the peers, which run each retry on their scheduler's thread
     */
    abstract Target create(long delayMillis, RetryScheduler timer);

    /** Whether this contender runs its retries on an executor, apart from its timer. */
    boolean handsOff() {
        return this == RETRY_STARTER || this == RETRY_STARTER_CORE;
    }

    /** A contender ready to take calls. */
    interface Target extends AutoCloseable {

        CompletableFuture<Long> call(Call call);

        @Override
        void close();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, RetryAutoConfiguration.class})
    static class ScaleConfig {

        @Bean
        ScaleService scaleService() {
            return new ScaleService();
        }
    }

    /** The annotated bean; the delay comes from {@code retry.instances.scale}. */
    public static class ScaleService {

        @Retryable(name = "scale", attempts = 2, jitter = false)
        public CompletableFuture<Long> attempt(Call call) {
            return call.attempt();
        }
    }
}
