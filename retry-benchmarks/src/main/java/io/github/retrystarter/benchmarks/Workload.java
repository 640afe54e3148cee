package io.github.retrystarter.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bean every success-path contender calls: each method does as little as a method can, so
 * that what is measured is the advice around it. Contenders subclass it and annotate the
 * overrides; {@link Contenders#PLAIN} uses it as it is.
 */
public class Workload {

    /** What the flaky methods fail with: shared, without a stack trace, cheap to throw. */
    static final TransientFailure FAILURE = new TransientFailure();

    private final Long value = 42L;
    private final CompletableFuture<Long> done = CompletableFuture.completedFuture(value);
    private final AtomicInteger flakyCalls = new AtomicInteger();
    private CompletableFuture<Long> last;

    /** A plain synchronous method. */
    public long call() {
        return value;
    }

    /** An asynchronous method whose future is already complete when it returns. */
    public CompletableFuture<Long> callDone() {
        return done;
    }

    /**
     * An asynchronous method whose future completes later, when the caller completes
     * {@link #lastPending()}, as one waiting for I/O would.
     */
    public CompletableFuture<Long> callPending() {
        CompletableFuture<Long> pending = new CompletableFuture<>();
        last = pending;
        return pending;
    }

    /** The future the last {@link #callPending()} returned, before any advice wrapped it. */
    CompletableFuture<Long> lastPending() {
        return last;
    }

    /** Fails every other call, starting with the first: a retry makes each call succeed. */
    public long flaky() {
        if (flakyCalls.getAndIncrement() % 2 == 0) {
            throw FAILURE;
        }
        return value;
    }

    /** {@link #flaky()} for futures. */
    public CompletableFuture<Long> flakyAsync() {
        if (flakyCalls.getAndIncrement() % 2 == 0) {
            return CompletableFuture.failedFuture(FAILURE);
        }
        return done;
    }

    /** How many times a flaky method has been entered. */
    int flakyCalls() {
        return flakyCalls.get();
    }

    /** A failure worth retrying. */
    static final class TransientFailure extends RuntimeException {

        TransientFailure() {
            super("transient failure", null, false, false);
        }
    }
}
