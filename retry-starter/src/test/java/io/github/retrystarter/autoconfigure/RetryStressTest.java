package io.github.retrystarter.autoconfigure;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.core.Outcome;
import io.github.retrystarter.core.Retrier;
import io.github.retrystarter.metrics.MetricsRetryListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many threads call annotated methods, sync and async, whose attempts fail at random, in a
 * real context with real timers and threads; every call must be accounted for in the
 * results and in the metrics, and the threads and the heap must come back to where they
 * were once the context is closed.
 *
 * <p>Runs for {@code -Dretry.stress.seconds} seconds, 3 by default.
 */
class RetryStressTest {

    private static final long SECONDS = Long.getLong("retry.stress.seconds", 3);
    private static final int CALLERS = 8;
    private static final int ASYNC_IN_FLIGHT = 256;
    private static final List<String> NAMES = List.of("stressSync", "stressAsync");
    private static final List<String> OUR_THREADS = List.of("retry-", "stress-");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class,
                    RetryObservabilityAutoConfiguration.class))
            .withPropertyValues("retry.instances.stressSync.budget.ratio=0.5",
                    "retry.instances.stressSync.budget.min-per-second=50")
            .withBean(SimpleMeterRegistry.class).withBean(Flaky.class);

    /** A retryable failure. */
    static final class Flake extends RuntimeException {

        Flake() {
            super("flake", null, false, false);
        }
    }

    /** A failure the methods abort on. */
    static final class Fatal extends RuntimeException {

        Fatal() {
            super("fatal", null, false, false);
        }
    }

    /** Calls made and how they ended, by policy name, as the callers saw them. */
    static final class Ledger {

        final Map<String, LongAdder> made = new ConcurrentHashMap<>();
        final Map<String, Map<String, LongAdder>> ended = new ConcurrentHashMap<>();
        final LongAdder cancelsWon = new LongAdder();
        final LongAdder raced = new LongAdder();

        void made(String name) {
            made.computeIfAbsent(name, key -> new LongAdder()).increment();
        }

        void ended(String name, Throwable error) {
            String how = error == null ? "value" : unwrap(error).getClass().getSimpleName();
            ended.computeIfAbsent(name, key -> new ConcurrentHashMap<>())
                    .computeIfAbsent(how, key -> new LongAdder()).increment();
        }

        private static Throwable unwrap(Throwable error) {
            return error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
        }

        long madeCount(String name) {
            LongAdder count = made.get(name);
            return count == null ? 0 : count.sum();
        }

        long ended(String name) {
            return ended.getOrDefault(name, Map.of()).values().stream()
                    .mapToLong(LongAdder::sum).sum();
        }

        Map<String, Long> endings(String name) {
            Map<String, Long> sums = new TreeMap<>();
            ended.getOrDefault(name, Map.of()).forEach((how, count) -> sums.put(how,
                    count.sum()));
            return sums;
        }
    }

    @Test
    void everyCallIsAccountedForAndNothingIsLeftBehind() throws Exception {
        runner.run(context -> hammer(context, Duration.ofMillis(300), new Ledger()));
        int threadsBefore = liveThreads();
        long heapBefore = usedHeapAfterGc();
        Ledger ledger = new Ledger();
        AtomicInteger peakThreads = new AtomicInteger();
        ManagementFactory.getThreadMXBean().resetPeakThreadCount();

        runner.run(context -> {
            hammer(context, Duration.ofSeconds(SECONDS), ledger);
            peakThreads.set(ManagementFactory.getThreadMXBean().getPeakThreadCount());
            checkAccounts(context, ledger);
        });

        await().atMost(Duration.ofSeconds(10)).pollInSameThread()
                .untilAsserted(() -> assertThat(ourThreads()).isEmpty());
        await().atMost(Duration.ofSeconds(10)).pollInSameThread()
                .until(() -> liveThreads() <= threadsBefore + 1);
        long heapAfter = usedHeapAfterGc();
        System.out.printf("Stress, %d s, %d callers: %s calls made, endings %s and %s,"
                + " %d cancels won of which %d raced with the end of their call; threads %d"
                + " before, %d after, %d at the peak; heap %d MB before, %d MB after%n",
                SECONDS, CALLERS, ledger.made, ledger.endings("stressSync"),
                ledger.endings("stressAsync"), ledger.cancelsWon.sum(), ledger.raced.sum(),
                threadsBefore, liveThreads(), peakThreads.get(), heapBefore >> 20,
                heapAfter >> 20);
        assertThat(heapAfter).as("heap used after the context closed")
                .isLessThanOrEqualTo(heapBefore + (32L << 20));
    }

    /** Calls both methods from {@link #CALLERS} threads for {@code duration}. */
    private static void hammer(AssertableApplicationContext context, Duration duration,
            Ledger ledger) throws InterruptedException {
        Flaky flaky = context.getBean(Flaky.class);
        Semaphore inFlight = new Semaphore(ASYNC_IN_FLIGHT);
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Thread caller = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (ThreadLocalRandom.current().nextInt(10) < 4) {
                        callSync(flaky, ledger);
                    }
                    else {
                        inFlight.acquireUninterruptibly();
                        callAsync(flaky, ledger, inFlight);
                    }
                }
            }, "stress-caller-" + i);
            caller.start();
            callers.add(caller);
        }
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(inFlight.tryAcquire(ASYNC_IN_FLIGHT, 30, TimeUnit.SECONDS))
                .as("every async call ended").isTrue();
    }

    private static void callSync(Flaky flaky, Ledger ledger) {
        ledger.made("stressSync");
        try {
            flaky.sync();
            ledger.ended("stressSync", null);
        }
        catch (RuntimeException failure) {
            ledger.ended("stressSync", failure);
        }
    }

    private static void callAsync(Flaky flaky, Ledger ledger, Semaphore inFlight) {
        ledger.made("stressAsync");
        CompletableFuture<String> result = flaky.async();
        result.whenComplete((value, error) -> {
            ledger.ended("stressAsync", error);
            inFlight.release();
        });
        int cancel = ThreadLocalRandom.current().nextInt(40);
        Runnable cancelling = () -> {
            if (result.cancel(true)) {
                ledger.cancelsWon.increment();
            }
        };
        if (cancel == 0) {
            cancelling.run();
        }
        else if (cancel == 1) {
            // later, while a retry may be waiting for its timer or about to start
            flaky.later(cancelling, ThreadLocalRandom.current().nextInt(4));
        }
    }

    private static void checkAccounts(AssertableApplicationContext context, Ledger ledger) {
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        Flaky flaky = context.getBean(Flaky.class);
        for (String name : NAMES) {
            long made = ledger.madeCount(name);
            double counted = Arrays.stream(Outcome.values())
                    .mapToDouble(outcome -> count(registry, name, outcome)).sum();
            assertThat(made).as("calls of %s made", name).isPositive();
            assertThat(ledger.ended(name)).as("calls of %s ended", name).isEqualTo(made);
            assertThat(counted).as("retry.calls of %s", name).isEqualTo(made);
            Map<String, Long> endings = ledger.endings(name);
            // a cancel that lands while a call is ending wins the future, but the outcome
            // already reported stays: such calls are the only ones whose tags may differ
            long raced = endings.getOrDefault("CancellationException", 0L)
                    - (long) count(registry, name, Outcome.CANCELLED);
            assertThat(raced).as("cancels of %s that raced with the end of the call", name)
                    .isBetween(0L, ledger.cancelsWon.sum());
            assertThat((long) (count(registry, name, Outcome.SUCCESS)
                    + count(registry, name, Outcome.RECOVERED))
                    - endings.getOrDefault("value", 0L)).as("successes of %s", name)
                    .isBetween(0L, raced);
            ledger.raced.add(raced);
            assertThat(registry.get(MetricsRetryListener.ATTEMPTS).tag("name", name).counter()
                    .count()).as("retry.attempts of %s", name)
                    .isEqualTo(flaky.bodyCalls(name));
        }
        assertThat(context.getBean(Retrier.class).pendingRetries()).isZero();
    }

    private static double count(MeterRegistry registry, String name, Outcome outcome) {
        return registry.get(MetricsRetryListener.CALLS).tag("name", name)
                .tag("outcome", outcome.tagValue()).counter().count();
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static List<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> OUR_THREADS.stream().anyMatch(name::startsWith)).toList();
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * Two annotated methods whose every attempt draws its fault: a value, a retryable or a
     * fatal failure, thrown or returned, late, never, or null.
     */
    public static class Flaky implements DisposableBean {

        private final Map<String, LongAdder> bodyCalls = new ConcurrentHashMap<>();
        private final ScheduledExecutorService completer =
                Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "stress-completer");
                    thread.setDaemon(true);
                    return thread;
                });

        public long bodyCalls(String name) {
            LongAdder count = bodyCalls.get(name);
            return count == null ? 0 : count.sum();
        }

        private int draw(String name) {
            bodyCalls.computeIfAbsent(name, key -> new LongAdder()).increment();
            return ThreadLocalRandom.current().nextInt(100);
        }

        @Retryable(name = "stressSync", attempts = 4, base = 1, max = 2, retryOn = Flake.class,
                abortOn = Fatal.class)
        public String sync() {
            int fault = draw("stressSync");
            if (fault < 50) {
                throw new Flake();
            }
            if (fault < 55) {
                throw new Fatal();
            }
            return "ok";
        }

        @Retryable(name = "stressAsync", attempts = 4, base = 1, max = 2, attemptTimeout = 20,
                retryOn = Flake.class, abortOn = Fatal.class)
        public CompletableFuture<String> async() {
            int fault = draw("stressAsync");
            if (fault < 30) {
                return CompletableFuture.failedFuture(new Flake());
            }
            if (fault < 40) {
                throw new Flake();
            }
            if (fault < 43) {
                return CompletableFuture.failedFuture(new Fatal());
            }
            if (fault < 45) {
                return new CompletableFuture<>();
            }
            if (fault < 46) {
                return null;
            }
            if (fault < 70) {
                CompletableFuture<String> late = new CompletableFuture<>();
                later(() -> {
                    if (fault < 60) {
                        late.complete("late");
                    }
                    else {
                        late.completeExceptionally(new Flake());
                    }
                }, 1 + fault % 3);
                return late;
            }
            return CompletableFuture.completedFuture("ok");
        }

        /** Runs {@code action} on the completer thread after {@code millis}. */
        public void later(Runnable action, long millis) {
            completer.schedule(action, millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void destroy() {
            completer.shutdownNow();
        }
    }
}
