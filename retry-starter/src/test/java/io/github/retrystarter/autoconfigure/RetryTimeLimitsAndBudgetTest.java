package io.github.retrystarter.autoconfigure;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.aop.MethodPolicy;
import io.github.retrystarter.aop.RetryableMethodRegistry;
import io.github.retrystarter.core.AttemptTimeoutException;
import io.github.retrystarter.core.ResolvedPolicy;
import io.github.retrystarter.core.RetryPolicy;
import io.github.retrystarter.core.Setting;
import io.github.retrystarter.core.support.ManualScheduler;
import io.github.retrystarter.metrics.MetricsRetryListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.retrystarter.autoconfigure.RetryAutoConfigurationTest.failureMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attempt timeouts, deadlines and retry budgets through the annotation and the properties,
 * with a {@link ManualScheduler} as the retry timer and a direct executor, so that a test
 * moves time itself.
 */
class RetryTimeLimitsAndBudgetTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class,
                    RetryObservabilityAutoConfiguration.class))
            .withBean(ManualScheduler.class)
            .withBean(RetryAutoConfiguration.EXECUTOR_BEAN_NAME, Executor.class,
                    () -> Runnable::run)
            .withBean(SimpleMeterRegistry.class).withBean(Remote.class);

    private static ResolvedPolicy policy(AssertableApplicationContext context, String name) {
        return context.getBean(RetryableMethodRegistry.class).byName(name).orElseThrow()
                .resolved();
    }

    private static double calls(AssertableApplicationContext context, String name,
            String outcome) {
        return context.getBean(MeterRegistry.class).get(MetricsRetryListener.CALLS)
                .tag("name", name).tag("outcome", outcome).counter().count();
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        return future.handle((value, error) -> error).join();
    }

    // ---- attempt timeouts ----------------------------------------------------------------

    @Test
    void anAttemptThatOutlivesItsTimeoutIsCancelledAndRetried() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);
            ManualScheduler scheduler = context.getBean(ManualScheduler.class);

            CompletableFuture<String> result = remote.slowOnce();
            assertThat(result).isNotDone();
            scheduler.advance(50);

            assertThat(result).isCompletedWithValue("second");
            assertThat(remote.handed().get(0)).isCancelled();
            assertThat(calls(context, "Remote.slowOnce", "recovered")).isEqualTo(1);
        });
    }

    @Test
    void aTimeoutNamedInAbortOnIsNotRetried() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);

            CompletableFuture<String> result = remote.slowAborts();
            context.getBean(ManualScheduler.class).advance(50);

            assertThat(failureOf(result)).isInstanceOf(AttemptTimeoutException.class)
                    .hasMessageContaining("'Remote.slowAborts'");
            assertThat(remote.handed()).hasSize(1);
            assertThat(calls(context, "Remote.slowAborts", "aborted")).isEqualTo(1);
        });
    }

    @Test
    void anAttemptTimeoutFromTheInstancePropertiesTimesAttemptsOut() {
        runner.withPropertyValues("retry.instances.hanging.attempt-timeout=30ms")
                .run(context -> {
                    Remote remote = context.getBean(Remote.class);

                    CompletableFuture<String> result = remote.hangsOnce();
                    context.getBean(ManualScheduler.class).advance(30);

                    assertThat(result).isCompletedWithValue("second");
                    assertThat(remote.handed().get(0)).isCancelled();
                });
    }

    @Test
    void aSynchronousMethodWithAnAttemptTimeoutOnItsAnnotationStopsTheStart() {
        runner.withBean(SyncWithTimeout.class).run(context -> assertThat(
                failureMessages(context)).contains("attemptTimeout (from annotation)")
                .contains(SyncWithTimeout.class.getName() + ".call()")
                .contains("synchronous").contains("use deadline"));
    }

    @Test
    void aSynchronousMethodWithAnAttemptTimeoutFromItsInstanceStopsTheStart() {
        runner.withBean(SyncPlain.class)
                .withPropertyValues("retry.instances.plainSync.attempt-timeout=100ms")
                .run(context -> assertThat(failureMessages(context))
                        .contains("attemptTimeout (from retry.instances)")
                        .contains(SyncPlain.class.getName() + ".call()"));
    }

    @Test
    void anAttemptTimeoutFromTheDefaultsIsIgnoredBySynchronousMethods() {
        runner.withBean(SyncPlain.class)
                .withPropertyValues("retry.defaults.attempt-timeout=100ms").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SyncPlain.class).call()).isEqualTo("sync");
                    assertThat(policy(context, "Remote.unset").policy()
                            .attemptTimeoutMillis()).isEqualTo(100);
                });
    }

    // ---- deadlines -----------------------------------------------------------------------

    @Test
    void noRetryStartsAfterTheDeadlineOfAnAsyncCall() {
        runner.run(context -> {
            Remote remote = context.getBean(Remote.class);

            CompletableFuture<String> result = remote.pastDeadline();

            assertThat(failureOf(result)).isInstanceOf(IOException.class);
            assertThat(remote.calls()).isEqualTo(1);
            assertThat(context.getBean(ManualScheduler.class).delays()).isEmpty();
            assertThat(calls(context, "Remote.pastDeadline", "exhausted")).isEqualTo(1);
        });
    }

    @Test
    void noRetryStartsAfterTheDeadlineOfASyncCall() {
        runner.withBean(RecordingSleeper.class).run(context -> {
            Remote remote = context.getBean(Remote.class);

            assertThatThrownBy(remote::pastDeadlineSync).isInstanceOf(IOException.class);

            assertThat(remote.calls()).isEqualTo(1);
            assertThat(context.getBean(RecordingSleeper.class).delays()).isEmpty();
            assertThat(calls(context, "Remote.pastDeadlineSync", "exhausted")).isEqualTo(1);
        });
    }

    // ---- precedence: each source has its own magnitude, so the number shows the winner ----

    @Test
    void timeLimitsAreNoneByDefault() {
        runner.run(context -> {
            ResolvedPolicy unset = policy(context, "Remote.unset");
            assertThat(unset.policy().attemptTimeoutMillis()).isZero();
            assertThat(unset.policy().deadlineMillis()).isZero();
            assertThat(unset.policy().budget()).isNull();
            assertThat(unset.sources()).containsEntry(Setting.ATTEMPT_TIMEOUT, "built-in")
                    .containsEntry(Setting.DEADLINE, "built-in")
                    .containsEntry(Setting.BUDGET_RATIO, "built-in");
        });
    }

    @Test
    void timeLimitsFollowTheSamePrecedenceAsEveryOtherSetting() {
        runner.withPropertyValues("retry.defaults.attempt-timeout=7ms",
                "retry.defaults.deadline=70", "retry.instances.stated.deadline=4s")
                .run(context -> {
                    RetryPolicy unset = policy(context, "Remote.unset").policy();
                    assertThat(unset.attemptTimeoutMillis()).isEqualTo(7);
                    assertThat(unset.deadlineMillis()).isEqualTo(70);
                    ResolvedPolicy stated = policy(context, "stated");
                    assertThat(stated.policy().attemptTimeoutMillis()).isEqualTo(300);
                    assertThat(stated.policy().deadlineMillis()).isEqualTo(4000);
                    assertThat(stated.sources())
                            .containsEntry(Setting.ATTEMPT_TIMEOUT, "annotation")
                            .containsEntry(Setting.DEADLINE, "retry.instances");
                });
    }

    @Test
    void negativeTimeLimitsStopTheStartNamingTheProperty() {
        runner.withPropertyValues("retry.defaults.attempt-timeout=-5ms").run(context ->
                assertThat(failureMessages(context)).contains("retry.defaults.attempt-timeout")
                        .contains("0 ms (none) or more"));
        runner.withPropertyValues("retry.instances.stated.deadline=-1s").run(context ->
                assertThat(failureMessages(context)).contains("retry.instances.stated.deadline")
                        .contains("-1000 ms"));
    }

    // ---- budgets -------------------------------------------------------------------------

    @Test
    void aSpentBudgetEndsCallsAsThrottledAndCountsThem() {
        runner.withPropertyValues("retry.instances.budgeted.budget.ratio=0",
                "retry.instances.budgeted.budget.min-per-second=0").run(context -> {
                    Remote remote = context.getBean(Remote.class);

                    assertThatThrownBy(remote::failing).isInstanceOf(IOException.class);
                    assertThat(failureOf(remote.failingAsync()))
                            .isInstanceOf(IOException.class);

                    assertThat(remote.calls()).isEqualTo(2);
                    assertThat(calls(context, "budgeted", "throttled")).isEqualTo(2);
                    assertThat(context.getBean(MeterRegistry.class)
                            .get(MetricsRetryListener.ATTEMPTS).tag("name", "budgeted")
                            .counter().count()).isEqualTo(2);
                });
    }

    @Test
    void methodsOfOneNameShareOneBudget() {
        runner.withPropertyValues("retry.instances.budgeted.budget.ratio=0.2").run(context -> {
            List<MethodPolicy> budgeted = context.getBean(RetryableMethodRegistry.class).all()
                    .stream().filter(p -> p.policy().name().equals("budgeted")).toList();
            assertThat(budgeted).hasSize(2);
            assertThat(budgeted.get(0).policy().budget()).isNotNull()
                    .isSameAs(budgeted.get(1).policy().budget());
        });
    }

    @Test
    void budgetsFollowTheSamePrecedenceAsEveryOtherSetting() {
        runner.withPropertyValues("retry.defaults.budget.ratio=0.25",
                "retry.defaults.budget.min-per-second=3",
                "retry.instances.stated.budget.ratio=0.5").run(context -> {
                    RetryPolicy unset = policy(context, "Remote.unset").policy();
                    assertThat(unset.budget().ratio()).isEqualTo(0.25);
                    assertThat(unset.budget().minPerSecond()).isEqualTo(3);
                    ResolvedPolicy stated = policy(context, "stated");
                    assertThat(stated.policy().budget().ratio()).isEqualTo(0.5);
                    assertThat(stated.policy().budget().minPerSecond()).isEqualTo(3);
                    assertThat(stated.sources())
                            .containsEntry(Setting.BUDGET_RATIO, "retry.instances")
                            .containsEntry(Setting.BUDGET_MIN_PER_SECOND, "retry.defaults");
                });
    }

    @Test
    void aBudgetWithoutARatioTakesTheBuiltInFloor() {
        runner.withPropertyValues("retry.defaults.budget.ratio=0.1").run(context ->
                assertThat(policy(context, "Remote.unset").policy().budget().minPerSecond())
                        .isEqualTo(RetryPolicy.DEFAULT_BUDGET_MIN_PER_SECOND));
    }

    @Test
    void badBudgetFiguresStopTheStartNamingTheProperty() {
        runner.withPropertyValues("retry.defaults.budget.ratio=-0.5").run(context ->
                assertThat(failureMessages(context)).contains("retry.defaults.budget.ratio")
                        .contains("-0.5"));
        runner.withPropertyValues("retry.instances.stated.budget.ratio=0.1",
                "retry.instances.stated.budget.min-per-second=-1").run(context ->
                        assertThat(failureMessages(context))
                                .contains("retry.instances.stated.budget.min-per-second")
                                .contains("0 or more"));
    }

    @Test
    void aNegativeFloorStopsTheStartEvenWithoutARatio() {
        runner.withPropertyValues("retry.defaults.budget.min-per-second=-2").run(context ->
                assertThat(failureMessages(context))
                        .contains("retry.defaults.budget.min-per-second").contains("-2"));
    }

    public static class Remote {

        private final AtomicInteger calls = new AtomicInteger();
        private final List<CompletableFuture<String>> handed = new CopyOnWriteArrayList<>();

        /** Read through the proxy, which has fields of its own. */
        public int calls() {
            return calls.get();
        }

        public List<CompletableFuture<String>> handed() {
            return handed;
        }

        /** Never ends the first time, answers the second. */
        @Retryable(attemptTimeout = 50, base = 0, attempts = 3, retryOn = IOException.class)
        public CompletableFuture<String> slowOnce() {
            CompletableFuture<String> future = new CompletableFuture<>();
            handed.add(future);
            if (handed.size() > 1) {
                future.complete("second");
            }
            return future;
        }

        /** Never ends the first time, answers the second; no timeout of its own. */
        @Retryable(name = "hanging", base = 0)
        public CompletableFuture<String> hangsOnce() {
            return slowOnce();
        }

        @Retryable(attemptTimeout = 50, base = 0, abortOn = AttemptTimeoutException.class)
        public CompletableFuture<String> slowAborts() {
            CompletableFuture<String> never = new CompletableFuture<>();
            handed.add(never);
            return never;
        }

        @Retryable(base = 10_000, max = 10_000, jitter = false, deadline = 1_000)
        public CompletableFuture<String> pastDeadline() {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("down"));
        }

        @Retryable(base = 10_000, max = 10_000, jitter = false, deadline = 1_000)
        public String pastDeadlineSync() throws IOException {
            calls.incrementAndGet();
            throw new IOException("down");
        }

        @Retryable(name = "budgeted", base = 0)
        public String failing() throws IOException {
            calls.incrementAndGet();
            throw new IOException("down");
        }

        @Retryable(name = "budgeted", base = 0)
        public CompletableFuture<String> failingAsync() {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("down"));
        }

        @Retryable
        public CompletableFuture<String> unset() {
            return CompletableFuture.completedFuture("unset");
        }

        @Retryable(name = "stated", attemptTimeout = 300, deadline = 3_000)
        public CompletableFuture<String> stated() {
            return CompletableFuture.completedFuture("stated");
        }
    }

    public static class SyncWithTimeout {

        @Retryable(attemptTimeout = 100)
        public String call() {
            return "never started";
        }
    }

    public static class SyncPlain {

        @Retryable(name = "plainSync")
        public String call() {
            return "sync";
        }
    }
}
