package io.github.retrystarter.core;

/**
 * Runs a task after a delay; the {@link Retrier}'s only source of time for asynchronous
 * retries. The task it is given is short (it hands the next attempt to an executor), so a
 * single timer thread serves any number of pending retries.
 *
 * <p>Replace it to control time in tests, or to share a timer with other components.
 */
@FunctionalInterface
public interface RetryScheduler {

    /**
     * Runs {@code task} once, after {@code delayMillis}.
     *
     * @return a handle that cancels the task if it has not started
     * @throws java.util.concurrent.RejectedExecutionException when the scheduler is shut down
     */
    Cancellable schedule(Runnable task, long delayMillis);

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Cancellable {

        /** Calls the task off if it has not started; does nothing otherwise. */
        void cancel();
    }
}
