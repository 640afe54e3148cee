package io.github.retrystarter.core.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;

import io.github.retrystarter.core.RetryScheduler;

/**
 * A {@link RetryScheduler} on virtual time: it records every delay asked for and runs a task
 * only when a test moves the clock past its due time with {@link #advance(long)}.
 *
 * <p>Tasks run on the thread that calls {@code advance}, in order of due time (then of
 * scheduling); a task may schedule others, which run in the same {@code advance} when they fall
 * due within it. Cancelled tasks are dropped. {@link #reject(boolean)} makes {@code schedule}
 * throw, as a scheduler that has been shut down does.
 */
public final class ManualScheduler implements RetryScheduler {

    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparingLong((Task task) -> task.dueAt).thenComparingLong(t -> t.order));
    private final List<Long> delays = new ArrayList<>();
    private long now;
    private long scheduled;
    private int cancelled;
    private boolean rejecting;

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayMillis) {
        if (rejecting) {
            throw new RejectedExecutionException("manual scheduler rejects new tasks");
        }
        if (delayMillis < 0) {
            throw new IllegalArgumentException("negative delay " + delayMillis + " ms");
        }
        delays.add(delayMillis);
        // a huge delay falls due at the end of time rather than wrapping round to the past
        long dueAt = delayMillis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + delayMillis;
        Task entry = new Task(task, dueAt, scheduled++);
        queue.add(entry);
        return () -> cancel(entry);
    }

    private synchronized void cancel(Task task) {
        if (queue.remove(task)) {
            cancelled++;
        }
    }

    /**
     * Moves the clock forward by {@code millis}, running every task that falls due, each with
     * the clock set to its due time.
     */
    public void advance(long millis) {
        long target;
        synchronized (this) {
            target = millis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + millis;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.dueAt > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.dueAt;
            }
            next.action.run();
        }
    }

    /**
     * Moves the clock to each queued task's due time in turn and runs it, until no task is
     * left, including tasks that the ones run schedule.
     */
    public void runAll() {
        while (true) {
            long wait;
            synchronized (this) {
                Task next = queue.peek();
                if (next == null) {
                    return;
                }
                wait = next.dueAt - now;
            }
            advance(wait);
        }
    }

    /** The due time of the next task, or {@code -1} when none is queued. */
    public synchronized long nextDueTime() {
        Task next = queue.peek();
        return next == null ? -1 : next.dueAt;
    }

    /** Makes {@link #schedule} throw {@link RejectedExecutionException}, or stop throwing. */
    public synchronized void reject(boolean reject) {
        this.rejecting = reject;
    }

    /** Every delay asked for, in milliseconds, in the order asked. */
    public synchronized List<Long> delays() {
        return List.copyOf(delays);
    }

    /** Tasks scheduled, not yet run and not cancelled. */
    public synchronized int pendingTasks() {
        return queue.size();
    }

    /** Tasks cancelled before they ran. */
    public synchronized int cancelledTasks() {
        return cancelled;
    }

    /** The virtual time in milliseconds, 0 at creation. */
    public synchronized long now() {
        return now;
    }

    private record Task(Runnable action, long dueAt, long order) {
    }
}
