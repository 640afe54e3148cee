package io.github.retrystarter.benchmarks;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Timer accuracy under load: {@code calls} calls (20,000), made at a steady {@code rate} per
 * millisecond (20) so that with a retry {@code delay} of 1 s all of them are pending at once,
 * each failing once and retried after that fixed delay. For one contender, named by the first
 * argument, it prints how late each retry started against its planned time (the moment its
 * first attempt failed, plus the delay): p50, p99 and max.
 *
 * <p>With {@code blocking} as the second argument, the retry of every {@code block.every}-th
 * call (1,000th) blocks its thread for {@code block.millis} (50 ms) before it returns its future;
 * the figures are then given apart for the calls that do not block. For retry-starter, which
 * hands each retry from its timer thread to an executor, the timer's own lateness is printed
 * too: it is what a blocking method must not disturb, whereas the start of the method also
 * waits for a free executor thread. The peers run each retry on their scheduler's thread, so
 * for them the two are one.
 *
 * <pre>
 * java -cp retry-benchmarks/target/benchmarks.jar \
 *     io.github.retrystarter.benchmarks.TimerAccuracy RETRY_STARTER blocking
 * </pre>
 */
public final class TimerAccuracy {

    private static final long TIMEOUT_SECONDS = 120;

    private TimerAccuracy() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("spring.backgroundpreinitializer.ignore", "true");
        AsyncContenders contender = AsyncContenders.valueOf(args[0]);
        boolean blocking = args.length > 1 && args[1].equals("blocking");
        int calls = Integer.getInteger("calls", 20_000);
        int rate = Integer.getInteger("rate", 20);
        long delay = Long.getLong("delay", 1_000);
        int warmup = Integer.getInteger("warmup", 4_000);
        int blockEvery = Integer.getInteger("block.every", 1000);
        long blockMillis = Long.getLong("block.millis", 50);

        RecordingScheduler timer = new RecordingScheduler(Math.max(calls, warmup));
        try (timer; AsyncContenders.Target target = contender.create(delay, timer)) {
            run(target, warmup, rate, 0, 0);
            timer.reset();
            Call[] measured = run(target, calls, rate, blocking ? blockEvery : 0, blockMillis);

            long[] all = new long[calls];
            long[] free = new long[calls];
            int frees = 0;
            for (int i = 0; i < calls; i++) {
                all[i] = measured[i].latenessNanos(delay);
                if (!measured[i].blocks()) {
                    free[frees++] = all[i];
                }
            }
            String mode = blocking ? "blocking(1/" + blockEvery + " x " + blockMillis + "ms)"
                    : "plain";
            System.out.printf("TimerAccuracy %-18s %s delay=%dms rate=%d/ms%n", contender, mode,
                    delay, rate);
            System.out.println("  retry start lateness, all calls:       "
                    + Stats.percentiles(all));
            if (blocking) {
                System.out.println("  retry start lateness, non-blocking:    "
                        + Stats.percentiles(Arrays.copyOf(free, frees)));
            }
            if (contender.handsOff()) {
                System.out.println("  timer lateness (hand-off to executor): "
                        + Stats.percentiles(timer.lateness()));
            }
        }
    }

    /** Makes {@code count} calls at {@code rate} per millisecond and waits for them all. */
    private static Call[] run(AsyncContenders.Target target, int count, int rate,
            int blockEvery, long blockMillis) throws Exception {
        Call[] work = new Call[count];
        for (int i = 0; i < count; i++) {
            boolean blocks = blockEvery > 0 && i % blockEvery == blockEvery - 1;
            work[i] = new Call(blocks ? blockMillis : 0);
        }
        CompletableFuture<?>[] futures = new CompletableFuture<?>[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (i % rate == 0) {
                // one batch of `rate` calls per millisecond, parked between: a spin would take
                // one of the two cores from the threads being measured
                long due = start + TimeUnit.MILLISECONDS.toNanos(i / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            futures[i] = target.call(work[i]);
        }
        try {
            CompletableFuture.allOf(futures).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (TimeoutException timeout) {
            throw new IllegalStateException("not all calls completed in " + TIMEOUT_SECONDS
                    + " s", timeout);
        }
        return work;
    }
}
