package io.github.retrystarter.core.support;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * An {@link Executor} that queues tasks until a test runs them with {@link #runAll()}, so a
 * test can tell what ran on the timer from what ran on the executor. Can be made to reject.
 */
public final class RecordingExecutor implements Executor {

    private final Deque<Runnable> queue = new ArrayDeque<>();
    private int submitted;
    private boolean rejecting;

    @Override
    public synchronized void execute(Runnable task) {
        if (rejecting) {
            throw new RejectedExecutionException("recording executor rejects new tasks");
        }
        submitted++;
        queue.add(task);
    }

    /** Runs queued tasks on this thread, including those they queue, until none is left. */
    public void runAll() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }

    /** Makes {@link #execute} throw {@link RejectedExecutionException}, or stop throwing. */
    public synchronized void reject(boolean reject) {
        this.rejecting = reject;
    }

    /** Tasks handed over and not yet run. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Tasks handed over since creation. */
    public synchronized int submitted() {
        return submitted;
    }
}
