package io.github.retrystarter.autoconfigure;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.aop.RetryAdvisor;
import io.github.retrystarter.aop.RetryableMethodRegistry;
import io.github.retrystarter.core.ResolvedPolicy;
import io.github.retrystarter.core.Retrier;
import io.github.retrystarter.core.RetryPolicy;
import io.github.retrystarter.core.RetryScheduler;
import io.github.retrystarter.core.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class RetryAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
            .withUserConfiguration(Services.class);

    @Test
    void createsTheAdvisorAndTheRetrierWithItsTimerAndExecutor() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(RetryAdvisor.class);
            assertThat(context).hasSingleBean(Retrier.class);
            assertThat(context).hasSingleBean(RetryScheduler.class);
            assertThat(context).hasBean(RetryAutoConfiguration.EXECUTOR_BEAN_NAME);
        });
    }

    @Test
    void retriesAnAnnotatedMethodOfAnOrdinaryBean() {
        runner.run(context -> {
            Flaky flaky = context.getBean(Flaky.class);
            assertThat(flaky.failTwice()).isEqualTo("ok");
            assertThat(flaky.calls()).isEqualTo(3);
        });
    }

    @Test
    void disabledMeansEachMethodRunsOnce() {
        runner.withPropertyValues("retry.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(RetryAdvisor.class);
            assertThat(context).doesNotHaveBean(Retrier.class);
            Flaky flaky = context.getBean(Flaky.class);
            assertThatThrownBy(flaky::failTwice).isInstanceOf(IOException.class);
            assertThat(flaky.calls()).isEqualTo(1);
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBeans() {
        RetryScheduler scheduler = (task, delay) -> () -> { };
        Executor executor = Runnable::run;
        runner.withBean(RetryScheduler.class, () -> scheduler)
                .withBean(RetryAutoConfiguration.EXECUTOR_BEAN_NAME, Executor.class,
                        () -> executor)
                .run(context -> {
                    assertThat(context.getBean(RetryScheduler.class)).isSameAs(scheduler);
                    assertThat(context.getBean(RetryAutoConfiguration.EXECUTOR_BEAN_NAME))
                            .isSameAs(executor);
                });
        Retrier own = Retrier.builder().scheduler(scheduler).executor(executor).build();
        runner.withBean(Retrier.class, () -> own)
                .run(context -> assertThat(context.getBean(Retrier.class)).isSameAs(own));
    }

    @Test
    void usesASleeperBeanForSynchronousDelays() {
        runner.withPropertyValues("retry.instances.stated.jitter=false")
                .withBean(RecordingSleeper.class).run(context -> {
                    context.getBean(Flaky.class).failTwice();
                    assertThat(context.getBean(RecordingSleeper.class).delays())
                            .containsExactly(300L, 600L);
                });
    }

    // ---- precedence: each source has its own magnitude, so the number shows the winner ----

    @Test
    void builtInDefaultsApplyWhenNothingIsSet() {
        runner.run(context -> {
            ResolvedPolicy resolved = policy(context.getBean(RetryableMethodRegistry.class),
                    "Plain.unset");
            RetryPolicy policy = resolved.policy();
            assertThat(policy.backoff().baseMillis()).isEqualTo(50);
            assertThat(policy.backoff().maxMillis()).isEqualTo(1000);
            assertThat(policy.backoff().multiplier()).isEqualTo(2.0);
            assertThat(policy.backoff().jitter()).isTrue();
            assertThat(policy.maxAttempts()).isEqualTo(5);
            assertThat(policy.retryOn()).isEmpty();
            assertThat(resolved.sources()).containsEntry(Setting.BASE, "built-in");
        });
    }

    @Test
    void defaultsFillWhatTheAnnotationLeavesUnset() {
        runner.withPropertyValues("retry.defaults.base=7ms", "retry.defaults.attempts=7",
                "retry.defaults.jitter=false").run(context -> {
                    RetryableMethodRegistry registry =
                            context.getBean(RetryableMethodRegistry.class);
                    ResolvedPolicy unset = policy(registry, "Plain.unset");
                    assertThat(unset.policy().backoff().baseMillis()).isEqualTo(7);
                    assertThat(unset.policy().maxAttempts()).isEqualTo(7);
                    assertThat(unset.policy().backoff().jitter()).isFalse();
                    assertThat(unset.sources()).containsEntry(Setting.BASE, "retry.defaults");
                    ResolvedPolicy stated = policy(registry, "stated");
                    assertThat(stated.policy().backoff().baseMillis()).isEqualTo(300);
                    assertThat(stated.policy().maxAttempts()).isEqualTo(3);
                    assertThat(stated.policy().backoff().jitter()).isTrue();
                    assertThat(stated.sources()).containsEntry(Setting.BASE, "annotation")
                            .containsEntry(Setting.JITTER, "annotation");
                });
    }

    @Test
    void instancePropertiesWinOverTheAnnotation() {
        runner.withPropertyValues("retry.defaults.base=7ms", "retry.instances.stated.base=4s",
                "retry.instances.stated.max=9s",
                "retry.instances.stated.retry-on=java.io.IOException").run(context -> {
                    ResolvedPolicy stated = policy(context.getBean(
                            RetryableMethodRegistry.class), "stated");
                    assertThat(stated.policy().backoff().baseMillis()).isEqualTo(4000);
                    assertThat(stated.policy().backoff().maxMillis()).isEqualTo(9000);
                    assertThat(stated.policy().maxAttempts()).isEqualTo(3);
                    assertThat(stated.policy().retryOn()).containsExactly(IOException.class);
                    assertThat(stated.sources()).containsEntry(Setting.BASE, "retry.instances")
                            .containsEntry(Setting.ATTEMPTS, "annotation");
                });
    }

    @Test
    void aBareNumberIsMilliseconds() {
        runner.withPropertyValues("retry.defaults.base=250", "retry.defaults.max=2000")
                .run(context -> {
                    RetryPolicy policy = policy(context.getBean(RetryableMethodRegistry.class),
                            "Plain.unset").policy();
                    assertThat(policy.backoff().baseMillis()).isEqualTo(250);
                    assertThat(policy.backoff().maxMillis()).isEqualTo(2000);
                });
    }

    // ---- invalid values stop the start with the property's name ----

    @Test
    void negativeDelayNamesTheProperty() {
        assertStartFails("retry.defaults.base=-5ms", "retry.defaults.base",
                "0 ms or more");
    }

    @Test
    void maxBelowBaseNamesBothProperties() {
        assertStartFails("retry.instances.stated.max=10ms", "retry.instances.stated.max",
                "at least base");
    }

    @Test
    void multiplierBelowOneNamesTheProperty() {
        assertStartFails("retry.defaults.multiplier=0.5", "retry.defaults.multiplier",
                "at least 1");
    }

    @Test
    void attemptsBelowOneNamesTheProperty() {
        assertStartFails("retry.instances.stated.attempts=0", "retry.instances.stated.attempts",
                "1 or more");
    }

    @Test
    void unknownClassNamesTheProperty() {
        assertStartFails("retry.defaults.retry-on=com.acme.NoSuchException",
                "retry.defaults.retry-on", "");
    }

    @Test
    void nonThrowableClassNamesTheProperty() {
        assertStartFails("retry.instances.stated.abort-on=java.lang.String",
                "retry.instances.stated.abort-on[0]", "not a Throwable");
    }

    @Test
    void invalidValueIsReportedEvenWhereNoMethodUsesIt() {
        assertStartFails("retry.instances.nobody.attempts=-1",
                "retry.instances.nobody.attempts", "1 or more");
    }

    @Test
    void invalidAnnotationValueNamesTheMethod() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
                .withBean(BadAnnotation.class).run(context -> assertThat(failureMessages(context))
                        .contains("@Retryable(attempts) on")
                        .contains(BadAnnotation.class.getName() + ".call()")
                        .contains("1 or more"));
    }

    @Test
    void plainFutureReturnTypeStopsTheStart() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
                .withBean(ReturnsFuture.class).run(context -> assertThat(failureMessages(context))
                        .contains("returns java.util.concurrent.Future")
                        .contains("CompletableFuture or CompletionStage"));
    }

    // ---- start-up reports ----

    @Test
    void unusedInstanceNameIsReported(CapturedOutput output) {
        runner.withPropertyValues("retry.instances.staetd.attempts=2").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("retry.instances.staetd is configured, but no"
                    + " @Retryable method has the name 'staetd'").contains("stated");
        });
    }

    @Test
    void aDottedNameWrittenWithoutBracketsIsReportedWithTheFix(CapturedOutput output) {
        runner.withPropertyValues("retry.instances.Plain.unset.attempts=2").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("retry.instances.plain.unset.attempts was not applied")
                    .contains("retry.instances[Plain.unset].attempts");
        });
    }

    @Test
    void aMisspeltSettingIsReported(CapturedOutput output) {
        runner.withPropertyValues("retry.instances.stated.attemps=2",
                "retry.defaults.max-attempts=3", "retry.defualts.base=1s").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output)
                            .contains("retry.instances.stated.attemps is ignored: 'attemps' is"
                                    + " not a retry setting")
                            .contains("retry.defaults.max-attempts is ignored")
                            .contains("retry.defualts.base is not a retry setting");
                });
    }

    @Test
    void everyKnownSettingPassesTheKeyCheck(CapturedOutput output) {
        runner.withPropertyValues("retry.defaults.base=1ms", "retry.defaults.max=2ms",
                "retry.defaults.multiplier=2", "retry.defaults.jitter=false",
                "retry.defaults.attempts=2", "retry.defaults.retry-on[0]=java.io.IOException",
                "retry.defaults.abort-on=java.io.FileNotFoundException",
                "retry.defaults.attempt-timeout=0", "retry.defaults.deadline=1m",
                "retry.defaults.budget.ratio=0.5", "retry.defaults.budget.min-per-second=1",
                "retry.instances.stated.budget.ratio=0.2", "retry.enabled=true",
                "retry.order=5").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).doesNotContain("is ignored")
                            .doesNotContain("not a retry setting");
                });
    }

    @Test
    void aDurationTooLongForMillisecondsNamesTheProperty() {
        assertStartFails("retry.instances.stated.max=1000000000000d",
                "retry.instances.stated.max", "does not fit");
    }

    @Test
    void propertiesAreCheckedEvenWhenRetriesAreSwitchedOff() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class,
                        RetryDisabledAutoConfiguration.class))
                .withPropertyValues("retry.enabled=false", "retry.defaults.base=-1ms")
                .run(context -> assertThat(failureMessages(context))
                        .contains("retry.defaults.base"));
    }

    @Test
    void jdkFlowPublisherReturnTypeStopsTheStart() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
                .withBean(ReturnsFlowPublisher.class)
                .run(context -> assertThat(failureMessages(context))
                        .contains("java.util.concurrent.Flow$Publisher")
                        .contains("reactive"));
    }

    @Test
    void annotatedInterfaceMethodsBehindJdkProxiesAreNotReportedAsUnreachable(
            CapturedOutput output) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
                .withPropertyValues("spring.aop.proxy-target-class=false")
                .withBean("api", ApiImpl.class).withBean(HiddenBehindJdkProxy.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(java.lang.reflect.Proxy.isProxyClass(
                            context.getBean("api").getClass())).isTrue();
                    assertThat(output).doesNotContain("$Proxy")
                            .contains("HiddenBehindJdkProxy.secret (private)");
                });
    }

    @Test
    void aDottedNameWorksInBrackets() {
        runner.withPropertyValues("retry.instances[Plain.unset].attempts=2").run(context -> {
            RetryPolicy policy = policy(context.getBean(RetryableMethodRegistry.class),
                    "Plain.unset").policy();
            assertThat(policy.maxAttempts()).isEqualTo(2);
        });
    }

    @Test
    void methodsAProxyCannotReachAreReported(CapturedOutput output) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
                .withBean(Unreachable.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).contains("@Retryable has no effect")
                            .contains("Unreachable.hidden (private)")
                            .contains("Unreachable.fixed (final)")
                            .contains("Unreachable.shared (static)");
                });
    }

    private void assertStartFails(String property, String key, String rule) {
        runner.withPropertyValues(property)
                .run(context -> assertThat(failureMessages(context)).contains(key).contains(rule));
    }

    /** Every message in the start-up failure's cause chain; fails if the start succeeded. */
    static String failureMessages(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    private static ResolvedPolicy policy(RetryableMethodRegistry registry, String name) {
        return registry.byName(name).orElseThrow().resolved();
    }

    @Configuration(proxyBeanMethods = false)
    static class Services {

        @Bean
        Flaky flaky() {
            return new Flaky();
        }

        @Bean
        Plain plain() {
            return new Plain();
        }
    }

    static class Flaky {

        private final AtomicInteger calls = new AtomicInteger();

        public int calls() {
            return calls.get();
        }

        @Retryable(base = 300, max = 1000, name = "stated", attempts = 3, jitter = true)
        public String failTwice() throws IOException {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("boom " + calls.get());
            }
            return "ok";
        }
    }

    static class Plain {

        @Retryable
        public String unset() {
            return "plain";
        }
    }

    static class BadAnnotation {

        @Retryable(attempts = 0)
        public String call() {
            return "never";
        }
    }

    static class ReturnsFuture {

        @Retryable
        public java.util.concurrent.Future<String> call() {
            return null;
        }
    }

    static class ReturnsFlowPublisher {

        @Retryable
        public java.util.concurrent.Flow.Publisher<String> call() {
            return null;
        }
    }

    interface Api {

        @Retryable(attempts = 2)
        String get();
    }

    static class ApiImpl implements Api {

        @Override
        public String get() {
            return "api";
        }
    }

    static class HiddenBehindJdkProxy implements Api {

        @Override
        public String get() {
            return secret();
        }

        @Retryable
        private String secret() {
            return "secret";
        }
    }

    static class Unreachable {

        @Retryable
        private String hidden() {
            return "hidden";
        }

        @Retryable
        public final String fixed() {
            return hidden();
        }

        @Retryable
        public static String shared() {
            return "shared";
        }
    }
}
