package io.github.retrystarter.core;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Caps retries at a share of recent calls, so that a failing dependency is not hit by every
 * caller's every retry: a retry is allowed while the retries of the last
 * {@value #WINDOW_SECONDS} seconds stay under {@code ratio} times the calls of that window,
 * plus a floor of {@code minPerSecond} retries per second that is always allowed.
 *
 * <p>Shared by every method with the same policy name. Lock-free; counts kept per second in a
 * ring of {@value #WINDOW_SECONDS} buckets. Note that under heavy concurrency a bucket that
 * rolls over to a new second may lose a few counts; the budget is a brake, not a ledger.
 */
public final class RetryBudget {

    /** The length of the sliding window, in seconds. */
    public static final int WINDOW_SECONDS = 10;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double ratio;
    private final int minPerSecond;
    private final LongSupplier nanoClock;
    private final AtomicLongArray seconds = new AtomicLongArray(WINDOW_SECONDS);
    private final AtomicLongArray calls = new AtomicLongArray(WINDOW_SECONDS);
    private final AtomicLongArray retries = new AtomicLongArray(WINDOW_SECONDS);

    /**
     * @param ratio the share of recent calls that may be retried, e.g. 0.1; at least 0
     * @param minPerSecond retries always allowed per second; at least 0
     * @param nanoClock the time source, {@code System::nanoTime} outside tests
     */
    public RetryBudget(double ratio, int minPerSecond, LongSupplier nanoClock) {
        if (!(ratio >= 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException(
                    "budget.ratio must be a finite number of 0 or more, but was " + ratio);
        }
        if (minPerSecond < 0) {
            throw new IllegalArgumentException(
                    "budget.min-per-second must be 0 or more, but was " + minPerSecond);
        }
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        this.nanoClock = nanoClock;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            seconds.set(i, Long.MIN_VALUE);
        }
    }

    /** Counts a call (its first attempt). */
    public void recordCall() {
        calls.incrementAndGet(bucket(now()));
    }

    /**
     * Takes one retry from the budget if there is room.
     *
     * @return whether the retry may go ahead
     */
    public boolean tryAcquireRetry() {
        long second = now();
        int current = bucket(second);
        // taken before counting and given back if over, so that threads racing for the last
        // retries each count the others' and together never take more than allowed
        retries.incrementAndGet(current);
        long recentCalls = 0;
        long recentRetries = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (seconds.get(i) > second - WINDOW_SECONDS) {
                recentCalls += calls.get(i);
                recentRetries += retries.get(i);
            }
        }
        double allowed = ratio * recentCalls + (double) minPerSecond * WINDOW_SECONDS;
        if (recentRetries > allowed) {
            retries.decrementAndGet(current);
            return false;
        }
        return true;
    }

    private long now() {
        return Math.floorDiv(nanoClock.getAsLong(), NANOS_PER_SECOND);
    }

    /** The bucket of {@code second}, emptied first if it still holds an older second. */
    private int bucket(long second) {
        int index = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
        long held = seconds.get(index);
        if (held != second && seconds.compareAndSet(index, held, second)) {
            calls.set(index, 0);
            retries.set(index, 0);
        }
        return index;
    }

    public double ratio() {
        return ratio;
    }

    public int minPerSecond() {
        return minPerSecond;
    }
}
