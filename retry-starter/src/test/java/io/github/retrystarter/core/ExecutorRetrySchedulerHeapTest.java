package io.github.retrystarter.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The default timer: deadlines, cancellation, its thread, and closing. */
class ExecutorRetrySchedulerHeapTest {

    @Test
    void runsEachTaskOnceNoEarlierThanItsDelayInDeadlineOrder() throws Exception {
        try (ExecutorRetryScheduler timer = new ExecutorRetryScheduler("test-timer")) {
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(3);
            long start = System.nanoTime();
            long[] ranAfter = new long[3];
            timer.schedule(() -> {
                ranAfter[2] = System.nanoTime() - start;
                order.add("60");
                done.countDown();
            }, 60);
            timer.schedule(() -> {
                ranAfter[0] = System.nanoTime() - start;
                order.add("20");
                done.countDown();
            }, 20);
            timer.schedule(() -> {
                ranAfter[1] = System.nanoTime() - start;
                order.add("40");
                done.countDown();
            }, 40);

            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("20", "40", "60");
            assertThat(ranAfter[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
            assertThat(ranAfter[1]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
            assertThat(ranAfter[2]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(60));
        }
    }

    @Test
    void aCancelledTaskNeverRunsAndCancellingLaterDoesNothing() throws Exception {
        try (ExecutorRetryScheduler timer = new ExecutorRetryScheduler("test-timer")) {
            AtomicInteger cancelledRuns = new AtomicInteger();
            CountDownLatch ran = new CountDownLatch(1);
            RetryScheduler.Cancellable cancelled = timer.schedule(
                    cancelledRuns::incrementAndGet, 30);
            RetryScheduler.Cancellable kept = timer.schedule(ran::countDown, 60);
            cancelled.cancel();
            cancelled.cancel();

            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            kept.cancel();
            assertThat(cancelledRuns).hasValue(0);
        }
    }

    @Test
    void aLongOrNegativeDelayNeitherOverflowsNorFails() throws Exception {
        try (ExecutorRetryScheduler timer = new ExecutorRetryScheduler("test-timer")) {
            AtomicInteger farRuns = new AtomicInteger();
            timer.schedule(farRuns::incrementAndGet, Long.MAX_VALUE);
            CountDownLatch ran = new CountDownLatch(1);
            timer.schedule(ran::countDown, -5);

            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(20);
            assertThat(farRuns).hasValue(0);
        }
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheTimer() throws Exception {
        try (ExecutorRetryScheduler timer = new ExecutorRetryScheduler("test-timer")) {
            timer.schedule(() -> {
                throw new IllegalStateException("task failure");
            }, 0);
            CountDownLatch ran = new CountDownLatch(1);
            timer.schedule(ran::countDown, 10);

            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void startsOneDaemonThreadOnFirstUseAndEndsItOnClose() throws Exception {
        ExecutorRetryScheduler timer = new ExecutorRetryScheduler("lazy-timer");
        assertThat(threadsNamed("lazy-timer")).isEmpty();
        AtomicReference<Thread> runner = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(2);
        timer.schedule(() -> {
            runner.set(Thread.currentThread());
            ran.countDown();
        }, 0);
        timer.schedule(ran::countDown, 5);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(runner.get().getName()).isEqualTo("lazy-timer-1");
        assertThat(runner.get().isDaemon()).isTrue();
        assertThat(threadsNamed("lazy-timer")).hasSize(1);

        timer.close();
        runner.get().join(5_000);
        assertThat(runner.get().isAlive()).isFalse();
    }

    @Test
    void closingDropsPendingTasksAndRejectsNewOnes() throws Exception {
        ExecutorRetryScheduler timer = new ExecutorRetryScheduler("test-timer");
        AtomicInteger runs = new AtomicInteger();
        RetryScheduler.Cancellable pending = timer.schedule(runs::incrementAndGet, 50);
        timer.close();
        timer.close();
        pending.cancel();

        assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(() -> timer.schedule(runs::incrementAndGet, 1));
        Thread.sleep(100);
        assertThat(runs).hasValue(0);
    }

    @Test
    void manyTasksWithRandomDelaysAndCancellationsRunExactlyWhenNotCancelled() {
        try (ExecutorRetryScheduler timer = new ExecutorRetryScheduler("test-timer")) {
            Random random = new Random(42);
            int tasks = 2_000;
            AtomicInteger[] runs = new AtomicInteger[tasks];
            List<RetryScheduler.Cancellable> handles = new ArrayList<>();
            boolean[] cancelled = new boolean[tasks];
            List<Integer> lates = new ArrayList<>();
            AtomicInteger early = new AtomicInteger();
            for (int i = 0; i < tasks; i++) {
                AtomicInteger count = new AtomicInteger();
                runs[i] = count;
                // only tasks due in half a second are cancelled: none of them can have
                // started by then, so every cancellation counts
                boolean late = random.nextBoolean();
                long delay = random.nextInt(60) + (late ? 500 : 0);
                long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                handles.add(timer.schedule(() -> {
                    if (System.nanoTime() - due < 0) {
                        early.incrementAndGet();
                    }
                    count.incrementAndGet();
                }, delay));
                if (late) {
                    lates.add(i);
                }
                if (!lates.isEmpty() && random.nextInt(3) == 0) {
                    int victim = lates.get(random.nextInt(lates.size()));
                    handles.get(victim).cancel();
                    cancelled[victim] = true;
                }
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (int i = 0; i < tasks; i++) {
                    assertThat(runs[i].get()).as("runs of task %d", i)
                            .isEqualTo(cancelled[i] ? 0 : 1);
                }
            });
            assertThat(early).hasValue(0);
        }
    }

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
                .toList();
    }
}
