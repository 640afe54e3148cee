package io.github.retrystarter.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Async scale: {@code calls} concurrent calls (20,000), each failing once and then succeeding
 * on a retry after a fixed {@code delay} (200 ms). For one contender, named by the first
 * argument, it prints the time to submit them all, the wall time until all completed against
 * the budget {@code delay + submit + 100 ms}, the peak of live threads above what ran before
 * the contender was set up, and the heap held per pending retry.
 *
 * <pre>
 * java -cp retry-benchmarks/target/benchmarks.jar \
 *     io.github.retrystarter.benchmarks.AsyncScale RETRY_STARTER
 * </pre>
 *
 * <p>The heap is read in a second round whose retries wait {@code heap.delay} (10 s), so that
 * all of them are still pending while full collections run; that round is cut short by
 * closing the contender. Everything stays in-process and every wait is bounded.
 * System properties {@code calls}, {@code delay}, {@code warmup} and {@code heap.delay} change
 * the defaults; {@code -Dheap.histogram=true} prints the classes of which at least
 * {@code calls} instances are live while the retries are pending.
 */
public final class AsyncScale {

    private static final long BUDGET_SLACK_MILLIS = 100;
    private static final long TIMEOUT_SECONDS = 60;

    private AsyncScale() {
    }

    public static void main(String[] args) throws Exception {
        // Spring Boot would start a thread of its own to warm some classes up
        System.setProperty("spring.backgroundpreinitializer.ignore", "true");
        AsyncContenders contender = AsyncContenders.valueOf(args[0]);
        int calls = Integer.getInteger("calls", 20_000);
        long delay = Long.getLong("delay", 200);
        int warmup = Integer.getInteger("warmup", 2_000);
        long heapDelay = Long.getLong("heap.delay", 10_000);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        threads.resetPeakThreadCount();
        Round round;
        try (AsyncContenders.Target target = contender.create(delay, null)) {
            run(target, warmup);
            round = run(target, calls);
        }
        int extraThreads = threads.getPeakThreadCount() - threadsBefore;

        long heapPerPending;
        int stillPending;
        try (AsyncContenders.Target target = contender.create(heapDelay, null)) {
            // the first calls set up whatever a contender makes once; they stay pending
            run(target, 100, false);
            Call[] pending = new Call[calls];
            for (int i = 0; i < calls; i++) {
                pending[i] = new Call(0);
            }
            CompletableFuture<?>[] futures = new CompletableFuture<?>[calls];
            long before = Stats.usedHeapAfterGc();
            for (int i = 0; i < calls; i++) {
                futures[i] = target.call(pending[i]);
            }
            long after = Stats.usedHeapAfterGc();
            if (Boolean.getBoolean("heap.histogram")) {
                System.out.print(Stats.histogram(calls));
            }
            stillPending = 0;
            for (CompletableFuture<?> future : futures) {
                stillPending += future.isDone() ? 0 : 1;
            }
            heapPerPending = (after - before) / calls;
        }

        long budget = delay + round.submitMillis + BUDGET_SLACK_MILLIS;
        System.out.printf(Locale.ROOT, "AsyncScale %-18s calls=%d delay=%dms submit=%dms"
                + " wall=%dms budget=%dms %s extraThreads=%d heapPerPendingRetry=%dB"
                + " (%d of %d pending when read)%n", contender, calls, delay,
                round.submitMillis, round.wallMillis, budget,
                round.wallMillis <= budget ? "within" : "OVER", extraThreads, heapPerPending,
                stillPending, calls);
    }

    private static Round run(AsyncContenders.Target target, int calls) throws Exception {
        return run(target, calls, true);
    }

    private static Round run(AsyncContenders.Target target, int calls, boolean await)
            throws Exception {
        Call[] work = new Call[calls];
        for (int i = 0; i < calls; i++) {
            work[i] = new Call(0);
        }
        CompletableFuture<?>[] futures = new CompletableFuture<?>[calls];
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            futures[i] = target.call(work[i]);
        }
        long submitted = System.nanoTime();
        if (!await) {
            return new Round(Stats.elapsedMillis(start, submitted), -1);
        }
        try {
            CompletableFuture.allOf(futures).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (TimeoutException timeout) {
            throw new IllegalStateException("not all calls completed in " + TIMEOUT_SECONDS
                    + " s", timeout);
        }
        long done = System.nanoTime();
        for (Call call : work) {
            if (call.attempts() != 2) {
                throw new IllegalStateException("a call made " + call.attempts() + " attempts");
            }
        }
        return new Round(Stats.elapsedMillis(start, submitted), Stats.elapsedMillis(start, done));
    }

    private record Round(long submitMillis, long wallMillis) {
    }
}
