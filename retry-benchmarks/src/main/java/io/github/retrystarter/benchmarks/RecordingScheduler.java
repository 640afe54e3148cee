package io.github.retrystarter.benchmarks;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.retrystarter.core.ExecutorRetryScheduler;
import io.github.retrystarter.core.RetryScheduler;

/**
 * retry-starter's default timer, with a note of how late each task fired against the time it
 * was planned for: the timer's own lateness, apart from any wait for an executor thread.
 */
final class RecordingScheduler implements RetryScheduler, AutoCloseable {

    private final ExecutorRetryScheduler timer = new ExecutorRetryScheduler("retry-timer");
    private final long[] lateness;
    private final AtomicInteger count = new AtomicInteger();

    RecordingScheduler(int capacity) {
        this.lateness = new long[capacity];
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        long planned = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        return timer.schedule(() -> {
            int index = count.getAndIncrement();
            if (index < lateness.length) {
                lateness[index] = System.nanoTime() - planned;
            }
            task.run();
        }, delayMillis);
    }

    /** Forgets what was noted so far. */
    void reset() {
        count.set(0);
    }

    /** The lateness of each task fired since the last {@link #reset()}, in nanoseconds. */
    long[] lateness() {
        return Arrays.copyOf(lateness, Math.min(count.get(), lateness.length));
    }

    @Override
    public void close() {
        timer.close();
    }
}
