package io.github.retrystarter.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link RetryScheduler}: one daemon timer thread, started on first use, over a
 * binary heap of tasks ordered by their deadline. A cancelled task leaves the heap at once, so
 * that cancelled retries hold no memory.
 *
 * <p>Each scheduled task costs one small object, which is also the handle that cancels it: a
 * pending retry waits in memory for its whole delay, and there may be tens of thousands of
 * them. The tasks are expected to be short (the {@link Retrier} only hands the next attempt to
 * its executor); one that throws is logged and does not stop the timer.
 */
public final class ExecutorRetryScheduler implements RetryScheduler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecutorRetryScheduler.class);

    /** No deadline is further away than this, so that deadlines compare without overflow. */
    private static final long MAX_DELAY_NANOS = Long.MAX_VALUE / 4;

    private final ThreadFactory threads;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock: a min-heap on Task.deadline, each task knowing its index
    private Task[] heap = new Task[16];
    private int size;
    private boolean started;
    private boolean closed;

    /** Creates a scheduler whose thread is named {@code threadName}. */
    public ExecutorRetryScheduler(String threadName) {
        this.threads = daemonThreads(threadName);
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * {@inheritDoc}
     *
     * @throws RejectedExecutionException when this scheduler is closed
     */
    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        Objects.requireNonNull(task, "task");
        long delay = Math.min(TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)),
                MAX_DELAY_NANOS);
        Task scheduled = new Task(this, task, System.nanoTime() + delay);
        lock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("The retry timer is closed");
            }
            if (!started) {
                threads.newThread(this::runTasks).start();
                started = true;
            }
            add(scheduled);
            if (scheduled.index == 0) {
                // a new first deadline: the timer thread waits for an earlier one
                changed.signal();
            }
        }
        finally {
            lock.unlock();
        }
        return scheduled;
    }

    /** Stops the timer thread; tasks not yet run are dropped. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (int i = 0; i < size; i++) {
                heap[i].index = -1;
                heap[i] = null;
            }
            size = 0;
            changed.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /** The timer thread: runs each task when its deadline has come, until closed. */
    private void runTasks() {
        while (true) {
            Runnable due = next();
            if (due == null) {
                return;
            }
            try {
                due.run();
            }
            catch (Throwable error) {
                log.warn("A task of the retry timer failed; the timer goes on", error);
            }
        }
    }

    /** Waits for the first deadline and takes its task; null once closed. */
    private Runnable next() {
        lock.lock();
        try {
            while (!closed) {
                if (size == 0) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                Task first = heap[0];
                long wait = first.deadline - System.nanoTime();
                if (wait <= 0) {
                    removeAt(0);
                    Runnable task = first.task;
                    first.task = null;
                    return task;
                }
                try {
                    changed.awaitNanos(wait);
                }
                catch (InterruptedException interrupted) {
                    // only close() stops this thread
                }
            }
            return null;
        }
        finally {
            lock.unlock();
        }
    }

    private void cancel(Task task) {
        lock.lock();
        try {
            if (task.index >= 0) {
                removeAt(task.index);
                task.task = null;
            }
        }
        finally {
            lock.unlock();
        }
    }

    // ---- the heap, under lock ------------------------------------------------------------

    private void add(Task task) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, task);
    }

    private void removeAt(int index) {
        Task removed = heap[index];
        removed.index = -1;
        Task last = heap[--size];
        heap[size] = null;
        if (last == removed) {
            return;
        }
        siftDown(index, last);
        if (heap[index] == last) {
            siftUp(index, last);
        }
    }

    private void siftUp(int index, Task task) {
        int at = index;
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            Task above = heap[parent];
            if (above.deadline - task.deadline <= 0) {
                break;
            }
            place(at, above);
            at = parent;
        }
        place(at, task);
    }

    private void siftDown(int index, Task task) {
        int at = index;
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            Task smaller = heap[child];
            int right = child + 1;
            if (right < size && heap[right].deadline - smaller.deadline < 0) {
                child = right;
                smaller = heap[child];
            }
            if (task.deadline - smaller.deadline <= 0) {
                break;
            }
            place(at, smaller);
            at = child;
        }
        place(at, task);
    }

    private void place(int index, Task task) {
        heap[index] = task;
        task.index = index;
    }

    /** A scheduled task, and the handle that cancels it. */
    private static final class Task implements Cancellable {

        private final ExecutorRetryScheduler owner;
        private final long deadline;
        // both guarded by the owner's lock; index is -1 once run, cancelled or dropped
        private Runnable task;
        private int index = -1;

        Task(ExecutorRetryScheduler owner, Runnable task, long deadline) {
            this.owner = owner;
            this.task = task;
            this.deadline = deadline;
        }

        @Override
        public void cancel() {
            owner.cancel(this);
        }
    }
}
