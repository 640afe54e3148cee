package io.github.retrystarter.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call of the async-scale and timer programs: its first attempt fails at once, its second
 * succeeds, optionally after blocking the calling thread. It notes when the first attempt
 * failed and when the second one started, so that the lateness of the retry against its
 * planned time can be told.
 */
public final class Call {

    private static final CompletableFuture<Long> SUCCESS = CompletableFuture.completedFuture(42L);

    private final long blockMillis;
    // attempts never overlap, and each library hands the next one over with a happens-before
    private volatile int attempts;
    private volatile long failedAt;
    private volatile long retriedAt;

    /**
     * @param blockMillis how long the second attempt blocks before it returns its future
     */
    public Call(long blockMillis) {
        this.blockMillis = blockMillis;
    }

    /** The method being retried. */
    public CompletableFuture<Long> attempt() {
        int attempt = attempts + 1;
        attempts = attempt;
        if (attempt == 1) {
            failedAt = System.nanoTime();
            return CompletableFuture.failedFuture(Workload.FAILURE);
        }
        retriedAt = System.nanoTime();
        if (blockMillis > 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(blockMillis);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return SUCCESS;
    }

    int attempts() {
        return attempts;
    }

    boolean blocks() {
        return blockMillis > 0;
    }

    /** How late the retry started against its planned time, in nanoseconds. */
    long latenessNanos(long delayMillis) {
        return retriedAt - failedAt - TimeUnit.MILLISECONDS.toNanos(delayMillis);
    }
}
