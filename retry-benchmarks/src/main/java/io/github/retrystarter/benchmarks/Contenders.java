package io.github.retrystarter.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.retry.annotation.Retry;
import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.autoconfigure.RetryAutoConfiguration;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.retry.annotation.Backoff;
import org.springframework.retry.annotation.EnableRetry;

/**
 * The contenders of the success-path benchmarks, each a Spring Boot context of its own with
 * only the auto-configuration it needs, so that no contender's advice reaches another's bean.
 * Every retrying contender is set up alike: at most 3 attempts, 50 ms apart, no jitter.
 */
public enum Contenders {

    /** The bean called directly: no proxy at all. */
    PLAIN(PlainConfig.class, false),
    /** The bean behind an advisor whose interceptor only proceeds: the floor. */
    FLOOR(FloorConfig.class, false),
    /** The bean behind an AspectJ-style {@code @Around} advice that only proceeds. */
    ASPECT(AspectConfig.class, false),
    /** retry-starter's {@code @Retryable}. */
    RETRY_STARTER(RetryStarterConfig.class, true),
    /** Spring Retry's {@code @Retryable} with {@code @EnableRetry}. */
    SPRING_RETRY(SpringRetryConfig.class, true),
    /** Resilience4j's {@code @Retry} through its Spring Boot 3 starter. */
    RESILIENCE4J(Resilience4jConfig.class, true),
    /** Failsafe's executor around a supplier that calls the bean; no proxy. */
    FAILSAFE(FailsafeConfig.class, true);

    private final Class<?> configuration;
    private final boolean retries;

    Contenders(Class<?> configuration, boolean retries) {
        this.configuration = configuration;
        this.retries = retries;
    }

    /** Starts this contender's context. */
    public ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(configuration)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN",
                        "resilience4j.retry.instances.bench.max-attempts=3",
                        "resilience4j.retry.instances.bench.wait-duration=50ms")
                .run();
    }

    /**
     * Checks that the context holds what this contender claims to be: a class-based proxy for
     * the advised contenders, and a retry that really happens for the retrying ones.
     *
     * @throws IllegalStateException when it does not
     */
    public Workload verified(ConfigurableApplicationContext context, boolean async) {
        Workload workload = context.getBean(Workload.class);
        boolean proxied = this != PLAIN && this != FAILSAFE;
        if (proxied != AopUtils.isCglibProxy(workload)) {
            throw new IllegalStateException(this + ": expected a class-based proxy: " + proxied
                    + ", got " + workload.getClass());
        }
        if (retries) {
            int before = workload.flakyCalls();
            Object result = async ? workload.flakyAsync().join() : workload.flaky();
            int calls = workload.flakyCalls() - before;
            if (calls != 2 || !Long.valueOf(42L).equals(result)) {
                throw new IllegalStateException(this + ": a call failing once took " + calls
                        + " calls and returned " + result);
            }
        }
        return workload;
    }

    @Configuration(proxyBeanMethods = false)
    static class PlainConfig {

        @Bean
        Workload workload() {
            return new Workload();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    static class FloorConfig {

        @Bean
        static Advisor emptyAdvisor() {
            return new DefaultPointcutAdvisor(
                    AnnotationMatchingPointcut.forMethodAnnotation(Marked.class),
                    new EmptyInterceptor());
        }

        @Bean
        Workload workload() {
            return new MarkedWorkload();
        }
    }

    /** The empty advice: what any {@code MethodInterceptor} costs at the least. */
    static final class EmptyInterceptor implements MethodInterceptor {

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            return invocation.proceed();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    static class AspectConfig {

        @Bean
        EmptyAspect emptyAspect() {
            return new EmptyAspect();
        }

        @Bean
        Workload workload() {
            return new MarkedWorkload();
        }
    }

    /** The empty AspectJ-style advice. */
    @Aspect
    public static class EmptyAspect {

        @Around("@annotation(io.github.retrystarter.benchmarks.Marked)")
        public Object around(ProceedingJoinPoint joinPoint) throws Throwable {
            return joinPoint.proceed();
        }
    }

    /** The bean of the floor and the aspect: every method marked for the empty advice. */
    public static class MarkedWorkload extends Workload {

        @Marked
        @Override
        public long call() {
            return super.call();
        }

        @Marked
        @Override
        public CompletableFuture<Long> callDone() {
            return super.callDone();
        }

        @Marked
        @Override
        public CompletableFuture<Long> callPending() {
            return super.callPending();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, RetryAutoConfiguration.class})
    static class RetryStarterConfig {

        @Bean
        Workload workload() {
            return new RetryStarterWorkload();
        }
    }

    public static class RetryStarterWorkload extends Workload {

        @Retryable(attempts = 3, base = 50, jitter = false)
        @Override
        public long call() {
            return super.call();
        }

        @Retryable(attempts = 3, base = 50, jitter = false)
        @Override
        public CompletableFuture<Long> callDone() {
            return super.callDone();
        }

        @Retryable(attempts = 3, base = 50, jitter = false)
        @Override
        public CompletableFuture<Long> callPending() {
            return super.callPending();
        }

        @Retryable(attempts = 3, base = 50, jitter = false)
        @Override
        public long flaky() {
            return super.flaky();
        }

        @Retryable(attempts = 3, base = 50, jitter = false)
        @Override
        public CompletableFuture<Long> flakyAsync() {
            return super.flakyAsync();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableRetry
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    static class SpringRetryConfig {

        @Bean
        Workload workload() {
            return new SpringRetryWorkload();
        }
    }

    public static class SpringRetryWorkload extends Workload {

        @org.springframework.retry.annotation.Retryable(maxAttempts = 3,
                backoff = @Backoff(delay = 50))
        @Override
        public long call() {
            return super.call();
        }

        @org.springframework.retry.annotation.Retryable(maxAttempts = 3,
                backoff = @Backoff(delay = 50))
        @Override
        public long flaky() {
            return super.flaky();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class,
        io.github.resilience4j.springboot3.retry.autoconfigure.RetryAutoConfiguration.class})
    static class Resilience4jConfig {

        @Bean
        Workload workload() {
            return new Resilience4jWorkload();
        }
    }

    public static class Resilience4jWorkload extends Workload {

        @Retry(name = "bench")
        @Override
        public long call() {
            return super.call();
        }

        @Retry(name = "bench")
        @Override
        public CompletableFuture<Long> callDone() {
            return super.callDone();
        }

        @Retry(name = "bench")
        @Override
        public CompletableFuture<Long> callPending() {
            return super.callPending();
        }

        @Retry(name = "bench")
        @Override
        public long flaky() {
            return super.flaky();
        }

        @Retry(name = "bench")
        @Override
        public CompletableFuture<Long> flakyAsync() {
            return super.flakyAsync();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailsafeConfig {

        @Bean
        FailsafeExecutor<Long> failsafe() {
            return Failsafe.with(RetryPolicy.<Long>builder().handle(Exception.class)
                    .withMaxAttempts(3).withDelay(Duration.ofMillis(50)).build());
        }

        @Bean
        Workload workload(FailsafeExecutor<Long> failsafe) {
            return new FailsafeWorkload(failsafe);
        }
    }

    /** Calls the plain methods through Failsafe, with suppliers made once, not per call. */
    public static final class FailsafeWorkload extends Workload {

        private final FailsafeExecutor<Long> failsafe;
        private final CheckedSupplier<Long> call = super::call;
        private final CheckedSupplier<Long> flaky = super::flaky;

        FailsafeWorkload(FailsafeExecutor<Long> failsafe) {
            this.failsafe = failsafe;
        }

        @Override
        public long call() {
            return failsafe.get(call);
        }

        @Override
        public long flaky() {
            return failsafe.get(flaky);
        }
    }
}
