package io.github.retrystarter.benchmarks;

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
 * What a successful call of a synchronous method costs behind each contender. Each trial (one
 * fork per contender) starts that contender's context once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SuccessPathSync {

    @Param({"PLAIN", "FLOOR", "ASPECT", "RETRY_STARTER", "SPRING_RETRY", "RESILIENCE4J",
        "FAILSAFE"})
    public Contenders contender;

    private ConfigurableApplicationContext context;
    private Workload workload;

    @Setup
    public void start() {
        context = contender.start();
        workload = contender.verified(context, false);
    }

    @TearDown
    public void stop() {
        context.close();
    }

    @Benchmark
    public long call() {
        return workload.call();
    }
}
