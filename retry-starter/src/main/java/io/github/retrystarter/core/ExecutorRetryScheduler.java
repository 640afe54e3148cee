package io.github.retrystarter.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link RetryScheduler}: one daemon timer thread over a
 * {@link ScheduledThreadPoolExecutor}, with cancelled tasks removed from its queue at once so
 * that cancelled retries hold no memory.
 */
public final class ExecutorRetryScheduler implements RetryScheduler, AutoCloseable {

    private final ScheduledThreadPoolExecutor timer;

    /** Creates a scheduler whose thread is named {@code threadName}. */
    public ExecutorRetryScheduler(String threadName) {
        this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads(threadName));
        this.timer.setRemoveOnCancelPolicy(true);
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        ScheduledFuture<?> future = timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    /** Stops the timer thread; tasks not yet run are dropped. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
