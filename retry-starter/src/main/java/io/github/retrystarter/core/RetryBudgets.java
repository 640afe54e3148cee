package io.github.retrystarter.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One {@link RetryBudget} per policy name, shared by every method that uses the name. */
public final class RetryBudgets {

    private final Map<String, RetryBudget> byName = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public RetryBudgets(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * The budget of {@code name}, created on first use. Every method of one name is resolved
     * from the same properties, so the first caller's figures are everyone's.
     */
    public RetryBudget forName(String name, double ratio, int minPerSecond) {
        return byName.computeIfAbsent(name, key -> new RetryBudget(ratio, minPerSecond,
                nanoClock));
    }
}
