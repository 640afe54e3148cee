package io.github.retrystarter.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operations under a {@link RetryPolicy}: synchronously, sleeping on the caller's thread
 * between attempts, or asynchronously, with delays on a {@link RetryScheduler} and each retry
 * handed to an {@link Executor}, so that no thread is blocked while a retry waits.
 *
 * <p>Usable without Spring:
 * <pre>{@code
 * Retrier retrier = Retrier.builder().build();
 * RetryPolicy policy = RetryPolicy.builder("inventory").attempts(3).base(100).build();
 * CompletableFuture<Stock> stock = retrier.callAsync(policy, () -> client.fetchStock(sku));
 * }</pre>
 *
 * <p>Every returned future completes exactly once: with the first success, or with the last
 * failure as the operation produced it, earlier failures attached as suppressed. Cancelling
 * it stops the retries and cancels the attempt in flight. {@link #close()} ends every pending
 * retry at once with its last failure.
 */
public final class Retrier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Retrier.class);

    final RetryScheduler scheduler;
    final Executor executor;
    final Set<AsyncExecution<?>> pending = ConcurrentHashMap.newKeySet();
    final ContextPropagation contextPropagation;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final LongSupplier nanoClock;
    final RetryEvents events;
    private final List<AutoCloseable> owned;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;

    private Retrier(Builder builder) {
        List<AutoCloseable> resources = new ArrayList<>();
        if (builder.scheduler == null) {
            ExecutorRetryScheduler timer = new ExecutorRetryScheduler("retry-timer");
            resources.add(timer);
            this.scheduler = timer;
        }
        else {
            this.scheduler = builder.scheduler;
        }
        if (builder.executor == null) {
            ExecutorService pool = newDefaultExecutor();
            resources.add(pool::shutdownNow);
            this.executor = pool;
        }
        else {
            this.executor = builder.executor;
        }
        this.sleeper = builder.sleeper;
        this.contextPropagation = builder.contextPropagation;
        this.random = builder.random;
        this.nanoClock = builder.nanoClock;
        this.events = new RetryEvents(builder.listeners);
        this.owned = List.copyOf(resources);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default executor for asynchronous retries: as many daemon threads as processors
     * (at least two), created on demand and retired after a minute idle.
     */
    public static ExecutorService newDefaultExecutor() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), ExecutorRetryScheduler.daemonThreads("retry"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    // ---- synchronous -------------------------------------------------------------------

    /**
     * Calls {@code attempt} until it succeeds or the policy says stop, sleeping on this thread
     * between attempts. Note that an attempt that throws {@link InterruptedException} is not
     * retried: like an interrupt between attempts, it ends the loop.
     *
     * @return the first successful result
     * @throws Throwable the last failure, exactly as {@code attempt} threw it
     */
    public <T> T call(RetryPolicy policy, Attempt<T> attempt) throws Throwable {
        long start = startTime(policy);
        T value;
        try {
            value = attempt.call();
        }
        catch (Throwable failure) {
            return retry(policy, attempt, failure, start);
        }
        succeeded(policy);
        return value;
    }

    /**
     * The start of a call on this retrier's clock, for {@link #retry(RetryPolicy, Attempt,
     * Throwable, long)} and {@link #retryAsync(RetryPolicy, Supplier, CompletionStage, long)};
     * read only when the policy has a deadline, so that other calls do not pay for the clock.
     */
    public long startTime(RetryPolicy policy) {
        return policy.deadlineMillis() > 0 ? nanoClock.getAsLong() : 0;
    }

    /**
     * Reports a first attempt that the caller made itself and that succeeded. Integrations
     * that run the first attempt inline (to allocate nothing on the success path) call this
     * instead of {@link #call}.
     */
    public void succeeded(RetryPolicy policy) {
        recordCall(policy);
        events.succeeded(policy);
    }

    /**
     * Continues a synchronous call whose first attempt, made by the caller, failed.
     *
     * @param next called for each further attempt
     * @param firstFailure what the first attempt threw
     * @return the first successful result
     * @throws Throwable the last failure, exactly as it was thrown
     */
    public <T> T retry(RetryPolicy policy, Attempt<T> next, Throwable firstFailure)
            throws Throwable {
        return retry(policy, next, firstFailure, startTime(policy));
    }

    /**
     * Continues a synchronous call whose first attempt, made by the caller, failed.
     *
     * @param startNanos when the call began, from {@link #startTime(RetryPolicy)}
     * @see #retry(RetryPolicy, Attempt, Throwable)
     */
    public <T> T retry(RetryPolicy policy, Attempt<T> next, Throwable firstFailure,
            long startNanos) throws Throwable {
        recordCall(policy);
        Execution execution = new Execution(this, policy, startNanos);
        Throwable failure = firstFailure;
        while (true) {
            long delay = execution.onFailure(failure);
            if (delay < 0) {
                throw end(execution, execution.stopOutcome);
            }
            if (!sleep(delay, execution)) {
                throw end(execution, Outcome.ABORTED);
            }
            execution.attempts++;
            try {
                T value = next.call();
                events.outcome(execution, Outcome.RECOVERED, null);
                return value;
            }
            catch (Throwable nextFailure) {
                failure = nextFailure;
            }
        }
    }

    private Throwable end(Execution execution, Outcome outcome) {
        events.outcome(execution, outcome, execution.lastError());
        return execution.finalError();
    }

    private static void recordCall(RetryPolicy policy) {
        RetryBudget budget = policy.budget();
        if (budget != null) {
            budget.recordCall();
        }
    }

    /**
     * Waits {@code millis}; false when the wait was cut short by an interrupt (the flag is
     * kept), by {@link #close()}, or by a sleeper that threw (its error is attached).
     */
    private boolean sleep(long millis, Execution execution) {
        try {
            if (sleeper != null) {
                try {
                    sleeper.sleep(millis);
                }
                catch (RuntimeException | Error sleeperError) {
                    execution.addHookError(sleeperError);
                    return false;
                }
            }
            else if (millis == 0) {
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
            else if (closing.await(millis, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !closed;
    }

    // ---- asynchronous ------------------------------------------------------------------

    /**
     * Calls {@code supplier} for a first attempt on this thread, and again for each retry on
     * the executor, until a returned stage succeeds or the policy says stop. A supplier that
     * throws is treated like one that returned a failed stage.
     *
     * @return a future that completes exactly once, with the first success or the last failure
     */
    public <T> CompletableFuture<T> callAsync(RetryPolicy policy,
            Supplier<? extends CompletionStage<T>> supplier) {
        long start = startTime(policy);
        CompletionStage<T> first;
        try {
            first = supplier.get();
        }
        catch (Throwable thrown) {
            first = CompletableFuture.failedFuture(thrown);
        }
        return retryAsync(policy, supplier, first, start);
    }

    /**
     * Follows a first attempt that the caller made itself and retries it as needed.
     *
     * @param next called, on the executor, for each further attempt
     * @param first the stage the first attempt returned (a failed stage if it threw); a
     *        {@code null} ends the call at once with an error that says so
     * @return a future that completes exactly once, with the first success or the last failure
     */
    public <T> CompletableFuture<T> retryAsync(RetryPolicy policy,
            Supplier<? extends CompletionStage<T>> next, CompletionStage<T> first) {
        return retryAsync(policy, next, first, startTime(policy));
    }

    /**
     * Follows a first attempt that the caller made itself and retries it as needed.
     *
     * @param startNanos when the call began, from {@link #startTime(RetryPolicy)}
     * @see #retryAsync(RetryPolicy, Supplier, CompletionStage)
     */
    public <T> CompletableFuture<T> retryAsync(RetryPolicy policy,
            Supplier<? extends CompletionStage<T>> next, CompletionStage<T> first,
            long startNanos) {
        recordCall(policy);
        if (first == null) {
            return failedOnNull(policy);
        }
        AsyncExecution<T> execution = new AsyncExecution<>(this, policy, next, startNanos);
        execution.start(first);
        return execution.result;
    }

    private <T> CompletableFuture<T> failedOnNull(RetryPolicy policy) {
        Execution execution = new Execution(this, policy, 0);
        execution.record(nullStage(policy, 1));
        events.outcome(execution, Outcome.ABORTED, execution.lastError());
        return CompletableFuture.failedFuture(execution.finalError());
    }

    static IllegalStateException nullStage(RetryPolicy policy, int attempt) {
        return new IllegalStateException("Retry policy '" + policy.name() + "': attempt "
                + attempt + " returned null instead of a CompletionStage; a method retried"
                + " asynchronously must return a future, for a failure"
                + " CompletableFuture.failedFuture(error)");
    }

    // ---- lifecycle ---------------------------------------------------------------------

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /** How many asynchronous retries are waiting for their timer or for an executor thread. */
    public int pendingRetries() {
        return pending.size();
    }

    /**
     * Ends every pending retry at once with its last failure, wakes synchronous callers that
     * are sleeping between attempts (they end with their last failure too), and stops the
     * scheduler and executor this retrier created itself. Attempts already running finish,
     * but are not retried. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing.countDown();
        for (AsyncExecution<?> execution : pending) {
            execution.abortOnClose();
        }
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            }
            catch (Exception error) {
                log.warn("Could not close {}", resource, error);
            }
        }
    }

    // ---- for the executions ------------------------------------------------------------

    double nextRandom() {
        return random.getAsDouble();
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** Configures a {@link Retrier}; every part has a default. */
    public static final class Builder {

        private RetryScheduler scheduler;
        private Executor executor;
        private Sleeper sleeper;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private ContextPropagation contextPropagation = ContextPropagation.MDC_ONLY;
        private LongSupplier nanoClock = System::nanoTime;
        private final List<RetryListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The timer for asynchronous delays. Default: one daemon thread, stopped by
         * {@link Retrier#close()}; a scheduler given here is not stopped by it.
         */
        public Builder scheduler(RetryScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Where asynchronous retries run. Default: {@link #newDefaultExecutor()}, stopped by
         * {@link Retrier#close()}; an executor given here is not stopped by it.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * How synchronous calls wait between attempts. Default: a wait on the caller's thread
         * that ends early on interrupt and on {@link Retrier#close()}.
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The source of jitter draws in {@code [0, 1)}. Default: {@link ThreadLocalRandom}. */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The clock for deadlines, in nanoseconds like {@link System#nanoTime()} (the
         * default); replace it to control time in tests.
         */
        public Builder clock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * What thread-bound context asynchronous retries carry from the caller. Default:
         * {@link ContextPropagation#MDC_ONLY}.
         */
        public Builder contextPropagation(ContextPropagation contextPropagation) {
            this.contextPropagation = Objects.requireNonNull(contextPropagation,
                    "contextPropagation");
            return this;
        }

        /** Adds a listener; listeners are told in the order they were added. */
        public Builder listener(RetryListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Builder listeners(List<? extends RetryListener> listeners) {
            listeners.forEach(this::listener);
            return this;
        }

        public Retrier build() {
            return new Retrier(this);
        }
    }
}
