package io.github.retrystarter.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.retrystarter.core.support.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The asynchronous loop on real threads, with delays of a millisecond or two: which thread
 * runs a retry, that no thread waits out a delay, and that nothing is left behind.
 */
@Timeout(20)
class RetrierAsyncThreadsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final RecordingListener listener = new RecordingListener();
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void stopPools() {
        pools.forEach(ExecutorService::shutdownNow);
    }

    private ExecutorService pool(int threads, String name) {
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                task -> new Thread(task, name + "-" + count.incrementAndGet()));
        pools.add(pool);
        return pool;
    }

    private static RetryPolicy quick(int attempts) {
        return RetryPolicy.builder("threads").base(1).max(2).attempts(attempts).build();
    }

    /** Fails its first {@code failures} calls, then succeeds; notes the thread of each call. */
    private static final class Flaky implements Supplier<CompletableFuture<String>> {

        final List<String> threads = new CopyOnWriteArrayList<>();
        private final AtomicInteger calls = new AtomicInteger();
        private final int failures;

        Flaky(int failures) {
            this.failures = failures;
        }

        @Override
        public CompletableFuture<String> get() {
            threads.add(Thread.currentThread().getName());
            if (calls.incrementAndGet() <= failures) {
                return CompletableFuture.failedFuture(new IOException("temporary"));
            }
            return CompletableFuture.completedFuture("ok");
        }
    }

    @Test
    void retriesRunOnTheGivenExecutorNotOnTheTimer() throws Exception {
        Flaky operation = new Flaky(2);
        try (Retrier retrier = Retrier.builder().executor(pool(1, "worker")).build()) {

            String result = retrier.callAsync(quick(5), operation).get(10, TimeUnit.SECONDS);

            assertThat(result).isEqualTo("ok");
        }
        assertThat(operation.threads).hasSize(3);
        assertThat(operation.threads.get(0)).isEqualTo(Thread.currentThread().getName());
        assertThat(operation.threads.subList(1, 3)).allMatch(name -> name.startsWith("worker-"));
    }

    @Test
    void retriesRunOnTheDefaultExecutorNotOnTheTimer() throws Exception {
        Flaky operation = new Flaky(2);
        try (Retrier retrier = Retrier.builder().build()) {

            assertThat(retrier.callAsync(quick(5), operation).get(10, TimeUnit.SECONDS))
                    .isEqualTo("ok");
        }
        assertThat(operation.threads.subList(1, 3)).allSatisfy(name -> assertThat(name)
                .startsWith("retry-").doesNotStartWith("retry-timer"));
    }

    @Test
    void aSlowRetryDoesNotHoldUpAnotherCallsTimer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        AtomicInteger slowCalls = new AtomicInteger();
        Supplier<CompletableFuture<String>> slow = () -> {
            if (slowCalls.incrementAndGet() == 1) {
                return CompletableFuture.failedFuture(new IOException("first"));
            }
            slowStarted.countDown();
            try {
                // blocks an executor thread, as a method doing blocking work would
                release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture("slow");
        };
        try (Retrier retrier = Retrier.builder().executor(pool(2, "worker")).build()) {
            CompletableFuture<String> slowResult = retrier.callAsync(quick(3), slow);
            assertThat(slowStarted.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            CompletableFuture<String> quickResult = retrier.callAsync(quick(3), new Flaky(1));

            assertThat(quickResult.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo("ok");
            assertThat(slowResult).isNotDone();
            release.countDown();
            assertThat(slowResult.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo("slow");
        }
    }

    @Test
    void aLongDelayBlocksNoThreadAndCloseEndsItAtOnce() {
        IOException failure = new IOException("down");
        RetryPolicy patient = RetryPolicy.builder("patient").base(60_000).max(60_000)
                .jitter(false).build();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        CompletableFuture<String> result;
        try (Retrier retrier = Retrier.builder().listener(listener).build()) {
            long start = System.nanoTime();

            result = retrier.callAsync(patient, () -> CompletableFuture.failedFuture(failure));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PATIENCE);
            assertThat(result).isNotDone();
            assertThat(retrier.pendingRetries()).isEqualTo(1);
        }
        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((value, error) -> error).join()).isSameAs(failure);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(newRetryThreads(before))
                .isEmpty());
    }

    @Test
    void closeStopsTheThreadsTheRetrierStarted() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Retrier retrier = Retrier.builder().build()) {
            retrier.callAsync(quick(3), new Flaky(2)).get(10, TimeUnit.SECONDS);
            assertThat(newRetryThreads(before)).isNotEmpty();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(newRetryThreads(before))
                .isEmpty());
    }

    private static List<String> newRetryThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName).filter(name -> name.startsWith("retry")).toList();
    }

    @Test
    void theDefaultSchedulerRejectsOnceClosed() {
        ExecutorRetryScheduler scheduler = new ExecutorRetryScheduler("test-timer");
        scheduler.close();

        assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(() -> scheduler.schedule(() -> { }, 1));
    }

    @Test
    void manyConcurrentCallsEachEndExactlyOnceEvenWhenClosedHalfWay() throws Exception {
        int callsMade = 300;
        AtomicInteger completions = new AtomicInteger();
        List<CompletableFuture<String>> results = new ArrayList<>();
        ExecutorService callers = pool(4, "caller");
        ExecutorService elsewhere = pool(2, "elsewhere");
        Retrier retrier = Retrier.builder().executor(pool(4, "worker")).listener(listener)
                .build();
        Supplier<CompletableFuture<String>> sometimes = () -> {
            int roll = ThreadLocalRandom.current().nextInt(4);
            if (roll == 0) {
                return CompletableFuture.completedFuture("ok");
            }
            if (roll == 1) {
                return CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException("later");
                }, elsewhere);
            }
            return CompletableFuture.failedFuture(new IOException("now"));
        };
        List<CompletableFuture<CompletableFuture<String>>> started = new ArrayList<>();
        for (int i = 0; i < callsMade; i++) {
            started.add(CompletableFuture.supplyAsync(
                    () -> retrier.callAsync(quick(6), sometimes), callers));
            if (i == callsMade / 2) {
                Thread.sleep(5);
                retrier.close();
            }
        }
        for (CompletableFuture<CompletableFuture<String>> start : started) {
            CompletableFuture<String> result = start.get(10, TimeUnit.SECONDS);
            result.whenComplete((value, error) -> completions.incrementAndGet());
            results.add(result);
        }

        CompletableFuture.allOf(results.stream().map(result -> result.exceptionally(e -> "x"))
                .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(completions).hasValue(callsMade);
        await().atMost(PATIENCE).untilAsserted(
                () -> assertThat(listener.endings()).hasSize(callsMade));
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(listener.endings()).extracting(RecordingListener.Ending::outcome)
                .doesNotContain(Outcome.CANCELLED);
    }
}
