package io.github.retrystarter.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a successful call of a {@code CompletableFuture} method costs behind each contender
 * that retries futures: {@code done}, a future already complete when the method returns, and
 * {@code pending}, one the method returns incomplete and that completes right after, as an
 * I/O future would (the benchmark completes it, and reads the result the caller got).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SuccessPathAsync {

    @Param({"PLAIN", "FLOOR", "ASPECT", "RETRY_STARTER", "RESILIENCE4J"})
    public Contenders contender;

    private ConfigurableApplicationContext context;
    private Workload workload;

    @Setup
    public void start() {
        context = contender.start();
        workload = contender.verified(context, true);
        if (!Long.valueOf(42L).equals(pending())) {
            throw new IllegalStateException(contender + ": a pending call did not complete"
                    + " with its future");
        }
    }

    @TearDown
    public void stop() {
        context.close();
    }

    @Benchmark
    public Long done() {
        return workload.callDone().getNow(null);
    }

    @Benchmark
    public Long pending() {
        CompletableFuture<Long> returned = workload.callPending();
        workload.lastPending().complete(42L);
        return returned.getNow(null);
    }
}
