package io.github.retrystarter.core;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

/**
 * One asynchronous call that has not yet succeeded on its first attempt. It watches the
 * attempt in flight, and on a retryable failure asks the scheduler for a timer whose only job
 * is to hand the next attempt to the executor.
 *
 * <p>Completion is guarded by {@link #finished}: whoever wins it (success, final failure,
 * shutdown, or the caller cancelling {@link #result}) reports the outcome, then completes the
 * future. Everything else that races with it finds the future done and stops.
 */
final class AsyncExecution<T> extends Execution implements Runnable {

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<AsyncExecution> FINISHED =
            AtomicIntegerFieldUpdater.newUpdater(AsyncExecution.class, "finished");

    final CompletableFuture<T> result = new Result<>(this);
    private final Supplier<? extends CompletionStage<T>> supplier;
    private final ContextPropagation.Snapshot context;
    private volatile int finished;
    private volatile CompletionStage<T> inFlight;
    private volatile RetryScheduler.Cancellable timer;
    private volatile RetryScheduler.Cancellable attemptTimer;

    AsyncExecution(Retrier retrier, RetryPolicy policy,
            Supplier<? extends CompletionStage<T>> supplier, long startNanos) {
        super(retrier, policy, startNanos);
        this.supplier = supplier;
        this.context = retrier.contextPropagation.capture();
    }

    /** Follows the first attempt, already made by the caller. */
    void start(CompletionStage<T> first) {
        watch(first);
    }

    private void watch(CompletionStage<T> stage) {
        inFlight = stage;
        if (result.isDone()) {
            // the caller cancelled while this attempt was being started
            cancel(stage);
            return;
        }
        long timeout = policy.attemptTimeoutMillis();
        if (timeout > 0 && !isDone(stage)) {
            try {
                attemptTimer = retrier.scheduler.schedule(() -> timedOut(stage), timeout);
            }
            catch (Throwable rejected) {
                abortWith(rejected);
                return;
            }
        }
        stage.whenComplete((value, error) -> attemptCompleted(stage, value, error));
    }

    /** The attempt {@code stage} completed, on the thread that completed it. */
    private void attemptCompleted(CompletionStage<T> stage, T value, Throwable error) {
        if (!claim(stage)) {
            // it timed out before: its cancellation is no news
            return;
        }
        try (ContextPropagation.Scope scope = context.restore()) {
            attemptDone(value, error);
        }
    }

    /** The attempt timeout of {@code stage} ran out; on the timer thread. */
    private void timedOut(CompletionStage<T> stage) {
        if (!claim(stage)) {
            return;
        }
        cancel(stage);
        try (ContextPropagation.Scope scope = context.restore()) {
            attemptDone(null, new AttemptTimeoutException("Attempt " + attempts + " of retry"
                    + " policy '" + policy.name() + "' did not complete within "
                    + policy.attemptTimeoutMillis() + " ms; it was cancelled"));
        }
    }

    /**
     * Makes {@code stage} no longer the attempt in flight, once: whichever of its completion
     * and its timeout comes first handles it.
     */
    private synchronized boolean claim(CompletionStage<T> stage) {
        if (inFlight != stage) {
            return false;
        }
        inFlight = null;
        RetryScheduler.Cancellable timeout = attemptTimer;
        if (timeout != null) {
            attemptTimer = null;
            timeout.cancel();
        }
        return true;
    }

    private void attemptDone(T value, Throwable error) {
        if (error == null) {
            finish(attempts == 1 ? Outcome.SUCCESS : Outcome.RECOVERED, value, null);
            return;
        }
        if (result.isDone()) {
            return;
        }
        long delay;
        synchronized (this) {
            Throwable cause = unwrap(error);
            if (cause instanceof CancellationException) {
                record(cause);
                finish(Outcome.CANCELLED, null, finalError());
                return;
            }
            delay = onFailure(cause);
            if (delay < 0) {
                finish(stopOutcome, null, finalError());
                return;
            }
        }
        scheduleNext(delay);
    }

    private void scheduleNext(long delayMillis) {
        retrier.pending.add(this);
        if (result.isDone()) {
            // cancelled while the delay was chosen, before this was pending: the cancel has
            // already cleaned up, and would not see it
            retrier.pending.remove(this);
            return;
        }
        if (retrier.isClosed()) {
            abortOnClose();
            return;
        }
        try {
            RetryScheduler.Cancellable scheduled = retrier.scheduler.schedule(this::handOff,
                    delayMillis);
            timer = scheduled;
            if (result.isDone()) {
                scheduled.cancel();
            }
        }
        catch (Throwable rejected) {
            abortWith(rejected);
        }
    }

    /** Runs on the timer thread: never the method itself, only the hand-off. */
    private void handOff() {
        try {
            retrier.executor.execute(this);
        }
        catch (Throwable rejected) {
            abortWith(rejected);
        }
    }

    /** Runs the next attempt, on the executor, in the caller's context. */
    @Override
    public void run() {
        try (ContextPropagation.Scope scope = context.restore()) {
            nextAttempt();
        }
    }

    private void nextAttempt() {
        retrier.pending.remove(this);
        if (result.isDone()) {
            return;
        }
        if (retrier.isClosed()) {
            abortOnClose();
            return;
        }
        CompletionStage<T> stage;
        synchronized (this) {
            attempts++;
        }
        try {
            stage = supplier.get();
        }
        catch (Throwable thrown) {
            attemptDone(null, thrown);
            return;
        }
        if (stage == null) {
            Throwable error;
            synchronized (this) {
                record(Retrier.nullStage(policy, attempts));
                error = finalError();
            }
            finish(Outcome.ABORTED, null, error);
            return;
        }
        watch(stage);
    }

    /** Ends the call with its last failure because the {@link Retrier} is closing. */
    void abortOnClose() {
        abortWith(null);
    }

    private void abortWith(Throwable reason) {
        try (ContextPropagation.Scope scope = context.restore()) {
            abortInContext(reason);
        }
    }

    private void abortInContext(Throwable reason) {
        Throwable error;
        synchronized (this) {
            if (reason != null && lastError() == null) {
                // nothing has failed yet (the first attempt's timer was refused): without
                // this the call would complete with null, as if it had succeeded
                record(reason);
            }
            else if (reason != null && !(reason instanceof RejectedExecutionException
                    && retrier.isClosed())) {
                addHookError(reason);
            }
            error = finalError();
        }
        finish(Outcome.ABORTED, null, error);
    }

    private void finish(Outcome outcome, T value, Throwable error) {
        if (!FINISHED.compareAndSet(this, 0, 1)) {
            return;
        }
        retrier.pending.remove(this);
        retrier.events.outcome(this, outcome, error);
        if (error == null) {
            result.complete(value);
            return;
        }
        Throwable surfaced;
        synchronized (this) {
            // again, to attach what a throwing outcome listener added
            surfaced = finalError();
        }
        result.completeExceptionally(surfaced);
    }

    /** The returned future completed, by us or by the caller: stop whatever is still running. */
    private void onResultDone() {
        if (FINISHED.compareAndSet(this, 0, 1)) {
            retrier.pending.remove(this);
            retrier.events.outcome(this, Outcome.CANCELLED, null);
        }
        RetryScheduler.Cancellable scheduled = timer;
        if (scheduled != null) {
            scheduled.cancel();
        }
        RetryScheduler.Cancellable timeout = attemptTimer;
        if (timeout != null) {
            timeout.cancel();
        }
        CompletionStage<T> stage = inFlight;
        if (stage != null) {
            cancel(stage);
        }
    }

    /** Whether {@code stage} is known to be done; false for a stage that cannot tell. */
    private static boolean isDone(CompletionStage<?> stage) {
        try {
            return stage instanceof Future<?> future && future.isDone();
        }
        catch (UnsupportedOperationException minimalStage) {
            return false;
        }
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            if (stage instanceof Future<?> future && !future.isDone()) {
                future.cancel(true);
            }
        }
        catch (UnsupportedOperationException minimalStage) {
            // a minimal stage is a Future that refuses both: it is left to finish on its own
        }
    }

    /**
     * The future the caller gets. However it completes, by the retries or by the caller
     * (cancelling it, completing it, a timeout), it tells its execution, which stops whatever
     * still runs for the call. Reacting in its own completion methods, rather than through a
     * dependent stage, saves each call such a stage and its completion node (80 bytes). Its
     * dependents are plain {@code CompletableFuture}s.
     */
    private static final class Result<T> extends CompletableFuture<T> {

        private final AsyncExecution<T> execution;

        Result(AsyncExecution<T> execution) {
            this.execution = execution;
        }

        @Override
        public boolean complete(T value) {
            return done(super.complete(value));
        }

        @Override
        public boolean completeExceptionally(Throwable error) {
            return done(super.completeExceptionally(error));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return done(super.cancel(mayInterruptIfRunning));
        }

        @Override
        public void obtrudeValue(T value) {
            super.obtrudeValue(value);
            done(true);
        }

        @Override
        public void obtrudeException(Throwable error) {
            super.obtrudeException(error);
            done(true);
        }

        /** As the JDK's, but completing through the methods above. */
        @Override
        public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier,
                Executor executor) {
            Objects.requireNonNull(supplier, "supplier");
            Objects.requireNonNull(executor, "executor");
            executor.execute(() -> {
                if (isDone()) {
                    return;
                }
                try {
                    complete(supplier.get());
                }
                catch (Throwable error) {
                    completeExceptionally(error instanceof CompletionException ? error
                            : new CompletionException(error));
                }
            });
            return this;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }

        private boolean done(boolean completed) {
            if (completed) {
                try {
                    execution.onResultDone();
                }
                catch (Throwable stopFailed) {
                    // never the caller's problem, as with a dependent stage, which kept it: an
                    // attempt in flight that refuses to be cancelled (a minimal stage), say
                }
            }
            return completed;
        }
    }
}
