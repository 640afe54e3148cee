package io.github.retrystarter.core.support;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * An asynchronous operation whose every call returns a new, incomplete future, kept so that a
 * test completes each attempt when and how it likes. It also notes the thread of each call.
 */
public final class FreshFutures<T> implements Supplier<CompletableFuture<T>> {

    private final List<CompletableFuture<T>> handed = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<T> get() {
        threads.add(Thread.currentThread().getName());
        CompletableFuture<T> future = new CompletableFuture<>();
        handed.add(future);
        return future;
    }

    /** The future returned by call {@code number}, 1 for the first. */
    public CompletableFuture<T> attempt(int number) {
        return handed.get(number - 1);
    }

    /** How many times the operation was called. */
    public int calls() {
        return handed.size();
    }

    /** Every future handed out, in order. */
    public List<CompletableFuture<T>> handed() {
        return List.copyOf(handed);
    }

    /** The name of the thread of each call, in order. */
    public List<String> threads() {
        return List.copyOf(threads);
    }
}
