package io.github.retrystarter.context;

import io.github.retrystarter.core.ContextPropagation;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * Carries every thread-local registered with Micrometer's context-propagation library (the
 * current observation and tracing span among them) onto retry threads.
 */
public final class MicrometerContextPropagation implements ContextPropagation {

    private final ContextSnapshotFactory factory;

    public MicrometerContextPropagation() {
        this(ContextSnapshotFactory.builder().build());
    }

    public MicrometerContextPropagation(ContextSnapshotFactory factory) {
        this.factory = factory;
    }

    @Override
    public Snapshot capture() {
        ContextSnapshot snapshot = factory.captureAll();
        return () -> {
            ContextSnapshot.Scope scope = snapshot.setThreadLocals();
            return scope::close;
        };
    }
}
