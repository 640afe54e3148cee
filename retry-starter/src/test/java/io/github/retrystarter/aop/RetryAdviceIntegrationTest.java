package io.github.retrystarter.aop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.autoconfigure.RetryAutoConfiguration;
import io.github.retrystarter.core.Retrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AliasFor;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The advice in a real Spring context, however the bean is declared and proxied. */
class RetryAdviceIntegrationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
            .withPropertyValues("retry.defaults.base=0", "retry.defaults.max=0");

    @Test
    void findsTheAnnotationOnAnInterfaceMethodBehindAClassBasedProxy() {
        runner.withBean(InventoryImpl.class).run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            assertThat(AopUtils.isCglibProxy(inventory)).isTrue();
            assertFailsAfter(inventory, 4);
        });
    }

    @Test
    void findsTheAnnotationOnAnInterfaceMethodBehindAJdkProxy() {
        runner.withPropertyValues("spring.aop.proxy-target-class=false")
                .withBean(InventoryImpl.class).run(context -> {
                    Inventory inventory = context.getBean(Inventory.class);
                    assertThat(AopUtils.isJdkDynamicProxy(inventory)).isTrue();
                    assertFailsAfter(inventory, 4);
                });
    }

    @Test
    void appliesATypeLevelAnnotationToEveryPublicMethod() {
        runner.withBean(TypeLevel.class).run(context -> {
            TypeLevel bean = context.getBean(TypeLevel.class);
            assertThatThrownBy(bean::first).hasMessage("first 3");
            assertThatThrownBy(bean::second).hasMessage("second 6");
        });
    }

    @Test
    void findsTheAnnotationThroughAComposedAnnotationWithAnAlias() {
        runner.withBean(Composed.class).run(context -> {
            Composed bean = context.getBean(Composed.class);
            assertThatThrownBy(bean::call).hasMessage("composed 2");
        });
    }

    @Test
    void appliesTheAdviceOnceWhenTypeAndMethodAreBothAnnotated() {
        runner.withBean(Both.class).run(context -> {
            Both bean = context.getBean(Both.class);
            assertThatThrownBy(bean::call).hasMessage("both 4");
        });
    }

    @Test
    void appliesTheAdviceOnceToABeanReExposedUnderItsInterface() {
        runner.withUserConfiguration(ReExposed.class).run(context -> {
            Inventory exposed = context.getBean("exposed", Inventory.class);
            Object target = ((Advised) exposed).getTargetSource().getTarget();
            assertThat(AopUtils.isAopProxy(target))
                    .as("the re-exposed bean is a proxy around the first proxy").isTrue();
            assertFailsAfter(exposed, 4);
        });
    }

    @Test
    void runsOutsideTheTransactionSoEachAttemptGetsAFreshOne() {
        runner.withUserConfiguration(Transactions.class).run(context -> {
            assertThat(Replay.canRewind()).isTrue();
            Ledger ledger = context.getBean(Ledger.class);
            CountingTransactionManager transactions =
                    context.getBean(CountingTransactionManager.class);
            assertThatThrownBy(ledger::post).hasMessage("post 3");
            assertThat(transactions.begun()).isEqualTo(3);
            assertThat(transactions.rolledBack()).isEqualTo(3);
        });
    }

    @Test
    void anOuterTransactionOrderPutsTheRetryInsideTheTransaction() {
        runner.withUserConfiguration(OuterTransactions.class)
                .run(context -> {
                    assertThatThrownBy(context.getBean(Ledger.class)::post)
                            .hasMessage("post 3");
                    assertThat(context.getBean(CountingTransactionManager.class).begun())
                            .isEqualTo(1);
                });
    }

    @Test
    void asksTheRetryPredicateBean() {
        runner.withBean(OnlyTransient.class).withBean(Guarded.class).run(context -> {
            Guarded bean = context.getBean(Guarded.class);
            assertThatThrownBy(() -> bean.call("permanent")).hasMessage("permanent 1");
            assertThatThrownBy(() -> bean.call("transient")).hasMessage("transient 4");
            // asked for every failure, the last one too: its answer tells "aborted" from "exhausted"
            assertThat(context.getBean(OnlyTransient.class).asked()).isEqualTo(1 + 4);
        });
    }

    // ---- asynchronous methods ----

    @Test
    void retriesAnAsyncMethodOnTheExecutorUntilItSucceeds() {
        runner.withBean(AsyncService.class).run(context -> {
            AsyncService service = context.getBean(AsyncService.class);
            CompletableFuture<String> result = service.succeedOnThird();
            assertThat(result).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("ok 3");
            assertThat(service.threads()).hasSize(3);
            assertThat(service.threads().subList(1, 3)).allMatch(name -> name.startsWith("retry-")
                    && !name.startsWith("retry-timer"));
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void retriesRunOnVirtualThreadsWhenTheApplicationAsksForThem() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true")
                .withBean(AsyncService.class).run(context -> {
                    AsyncService service = context.getBean(AsyncService.class);
                    assertThat(service.succeedOnThird()).succeedsWithin(Duration.ofSeconds(5));
                    assertThat(context.getBean("retryExecutor")).isInstanceOf(
                            org.springframework.core.task.SimpleAsyncTaskExecutor.class);
                    assertThat(service.virtual()).containsExactly(false, true, true);
                    assertThat(service.threads().get(2)).startsWith("retry-");
                });
    }

    @Test
    void retriesRunOnPlatformThreadsByDefault() {
        runner.withBean(AsyncService.class).run(context -> {
            AsyncService service = context.getBean(AsyncService.class);
            assertThat(service.succeedOnThird()).succeedsWithin(Duration.ofSeconds(5));
            assertThat(service.virtual()).containsOnly(false);
        });
    }

    @Test
    void anAsyncMethodFailsWithTheLastErrorItselfAndEarlierOnesSuppressed() throws Exception {
        try (ConfigurableApplicationContext context = start(AsyncService.class)) {
            AsyncService service = context.getBean(AsyncService.class);
            CompletableFuture<String> result = service.alwaysFail();
            assertThat(result).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isSameAs(service.errors().get(3));
            Throwable last = service.errors().get(3);
            assertThat(last.getSuppressed()).containsExactlyElementsOf(
                    service.errors().subList(0, 3));
        }
    }

    @Test
    void retriesAMethodThatReturnsTheJdksMinimalCompletionStage() {
        runner.withBean(AsyncService.class).run(context -> {
            AsyncService service = context.getBean(AsyncService.class);
            CompletionStage<String> result = service.minimal();
            assertThat(result.toCompletableFuture()).succeedsWithin(Duration.ofSeconds(5))
                    .isEqualTo("minimal 3");
        });
    }

    @Test
    void anAsyncMethodThatReturnsNullGetsAClearError() {
        runner.withBean(AsyncService.class).run(context -> {
            CompletableFuture<String> result = context.getBean(AsyncService.class).returnNull();
            assertThat(result).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(IllegalStateException.class)
                    .withMessageContaining("returned null instead of a CompletionStage");
        });
    }

    @Test
    void cancellingTheFutureStopsTheRetries() {
        runner.withBean(AsyncService.class).run(context -> {
            AsyncService service = context.getBean(AsyncService.class);
            CompletableFuture<String> result = service.slowRetry();
            Retrier retrier = context.getBean(Retrier.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> retrier.pendingRetries() == 1);
            result.cancel(true);
            assertThat(retrier.pendingRetries()).isZero();
            assertThat(service.calls()).isEqualTo(1);
        });
    }

    @Test
    void closingTheContextEndsPendingRetriesAtOnceWithTheirLastFailure() throws Exception {
        CompletableFuture<String> result;
        AsyncService service;
        try (ConfigurableApplicationContext context = start(AsyncService.class)) {
            service = context.getBean(AsyncService.class);
            result = service.slowRetry();
            Retrier retrier = context.getBean(Retrier.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> retrier.pendingRetries() == 1);
        }
        assertThat(result.isDone()).isTrue();
        assertThat(result).failsWithin(0, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isSameAs(service.errors().get(0));
        assertThat(service.calls()).isEqualTo(1);
    }

    private ConfigurableApplicationContext start(Class<?> bean) {
        org.springframework.context.annotation.AnnotationConfigApplicationContext context =
                new org.springframework.context.annotation.AnnotationConfigApplicationContext();
        org.springframework.boot.test.util.TestPropertyValues.of("retry.defaults.base=0",
                "retry.defaults.max=0").applyTo(context);
        context.register(RetryAutoConfiguration.class, bean);
        context.refresh();
        return context;
    }

    private static void assertFailsAfter(Inventory inventory, int attempts) {
        assertThatThrownBy(inventory::reserve).hasMessage("reserve " + attempts);
    }

    // ---- beans ----

    interface Inventory {

        @Retryable(attempts = 4)
        String reserve();
    }

    static class InventoryImpl implements Inventory {

        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public String reserve() {
            throw new IllegalStateException("reserve " + calls.incrementAndGet());
        }
    }

    @Retryable(attempts = 3)
    static class TypeLevel {

        private final AtomicInteger calls = new AtomicInteger();

        public String first() {
            throw new IllegalStateException("first " + calls.incrementAndGet());
        }

        public String second() {
            throw new IllegalStateException("second " + calls.incrementAndGet());
        }
    }

    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @Retryable
    @interface Resilient {

        @AliasFor(annotation = Retryable.class, attribute = "attempts")
        int[] tries() default {};
    }

    static class Composed {

        private final AtomicInteger calls = new AtomicInteger();

        @Resilient(tries = 2)
        public String call() {
            throw new IllegalStateException("composed " + calls.incrementAndGet());
        }
    }

    @Retryable(attempts = 4)
    static class Both {

        private final AtomicInteger calls = new AtomicInteger();

        @Retryable(attempts = 4)
        public String call() {
            throw new IllegalStateException("both " + calls.incrementAndGet());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ReExposed {

        @Bean
        InventoryImpl inventory() {
            return new InventoryImpl();
        }

        @Bean
        Inventory exposed(InventoryImpl inventory) {
            return inventory;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class Transactions {

        @Bean
        CountingTransactionManager transactionManager() {
            return new CountingTransactionManager();
        }

        @Bean
        Ledger ledger() {
            return new Ledger();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement(order = 0)
    static class OuterTransactions {

        @Bean
        CountingTransactionManager transactionManager() {
            return new CountingTransactionManager();
        }

        @Bean
        Ledger ledger() {
            return new Ledger();
        }
    }

    @Test
    void theRetryOrderIsAProperty() {
        runner.withBean(Both.class).withPropertyValues("retry.order=-5").run(context ->
                assertThat(context.getBean(io.github.retrystarter.aop.RetryAdvisor.class)
                        .getOrder()).isEqualTo(-5));
    }

    static class Ledger {

        private final AtomicInteger calls = new AtomicInteger();

        @Transactional
        @Retryable(attempts = 3)
        public void post() {
            throw new IllegalStateException("post " + calls.incrementAndGet());
        }
    }

    static class OnlyTransient implements Predicate<Throwable> {

        private final AtomicInteger asked = new AtomicInteger();

        @Override
        public boolean test(Throwable error) {
            asked.incrementAndGet();
            return error.getMessage().startsWith("transient");
        }

        int asked() {
            return asked.get();
        }
    }

    static class Guarded {

        private final java.util.Map<String, AtomicInteger> calls =
                new java.util.concurrent.ConcurrentHashMap<>();

        @Retryable(attempts = 4, retryIf = OnlyTransient.class)
        public String call(String kind) {
            int call = calls.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            throw new IllegalStateException(kind + " " + call);
        }
    }

    static class AsyncService {

        private final AtomicInteger calls = new AtomicInteger();
        private final List<String> threads = new CopyOnWriteArrayList<>();
        private final List<Throwable> errors = new CopyOnWriteArrayList<>();
        private final List<Boolean> virtual = new CopyOnWriteArrayList<>();

        /** Thread.isVirtual(), which this Java 17 build cannot call directly. */
        private static boolean isVirtual(Thread thread) {
            try {
                return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
            }
            catch (NoSuchMethodException beforeJava21) {
                return false;
            }
            catch (ReflectiveOperationException error) {
                throw new IllegalStateException(error);
            }
        }

        public List<Boolean> virtual() {
            return virtual;
        }

        @Retryable(attempts = 3)
        public CompletableFuture<String> succeedOnThird() {
            threads.add(Thread.currentThread().getName());
            virtual.add(isVirtual(Thread.currentThread()));
            int call = calls.incrementAndGet();
            return call < 3 ? CompletableFuture.failedFuture(new IllegalStateException("no"))
                    : CompletableFuture.completedFuture("ok " + call);
        }

        @Retryable(attempts = 4)
        public CompletableFuture<String> alwaysFail() {
            IllegalStateException error = new IllegalStateException("fail "
                    + calls.incrementAndGet());
            errors.add(error);
            return CompletableFuture.supplyAsync(() -> {
                throw error;
            }, Runnable::run);
        }

        @Retryable(attempts = 3)
        public CompletionStage<String> minimal() {
            int call = calls.incrementAndGet();
            CompletableFuture<String> future = call < 3
                    ? CompletableFuture.failedFuture(new IllegalStateException("no"))
                    : CompletableFuture.completedFuture("minimal " + call);
            return future.minimalCompletionStage();
        }

        @Retryable(attempts = 3)
        public CompletableFuture<String> returnNull() {
            calls.incrementAndGet();
            return null;
        }

        @Retryable(attempts = 3, base = 60_000, max = 60_000, jitter = false)
        public CompletableFuture<String> slowRetry() {
            IllegalStateException error = new IllegalStateException("slow "
                    + calls.incrementAndGet());
            errors.add(error);
            return CompletableFuture.failedFuture(error);
        }

        public int calls() {
            return calls.get();
        }

        public List<String> threads() {
            return threads;
        }

        public List<Throwable> errors() {
            return errors;
        }
    }
}
