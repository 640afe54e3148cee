package io.github.retrystarter.core;

import java.util.Map;

import org.slf4j.MDC;

/**
 * Carries the caller's thread-bound context (logging MDC, tracing) onto the threads where
 * asynchronous retries and their listeners run. Captured on the caller's thread when an
 * asynchronous call does not complete at once; restored around every later attempt and
 * every listener call.
 */
public interface ContextPropagation {

    /** Copies the logging MDC; the default. */
    ContextPropagation MDC_ONLY = new MdcPropagation();

    /** Carries nothing. */
    ContextPropagation NONE = () -> () -> () -> { };

    /** Captures the current thread's context. */
    Snapshot capture();

    /** Context captured on one thread, to be installed on another. */
    @FunctionalInterface
    interface Snapshot {

        /** Installs the context on the current thread until the returned scope is closed. */
        Scope restore();
    }

    /** Undoes a {@link Snapshot#restore()}, putting back what the thread had before. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {

        @Override
        void close();
    }

    /**
     * Combines several propagations; restored in order and closed in reverse.
     */
    static ContextPropagation composite(ContextPropagation first, ContextPropagation second) {
        return () -> {
            Snapshot a = first.capture();
            Snapshot b = second.capture();
            return () -> {
                Scope outer = a.restore();
                Scope inner = b.restore();
                return () -> {
                    try {
                        inner.close();
                    }
                    finally {
                        outer.close();
                    }
                };
            };
        };
    }

    /** Copies the SLF4J MDC map. */
    final class MdcPropagation implements ContextPropagation {

        /**
         * The snapshot of an empty MDC, which empties the MDC while it is installed: one for
         * all, so that the usual call, made with nothing in the MDC, allocates none.
         */
        private static final Snapshot EMPTY = () -> installUntilClosed(null);

        /** What puts back an empty MDC, the usual case on a pool's thread: shared too. */
        private static final Scope BACK_TO_EMPTY = () -> install(null);

        private MdcPropagation() {
        }

        @Override
        public Snapshot capture() {
            Map<String, String> captured = MDC.getCopyOfContextMap();
            if (captured == null || captured.isEmpty()) {
                return EMPTY;
            }
            return () -> installUntilClosed(captured);
        }

        private static Scope installUntilClosed(Map<String, String> captured) {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            install(captured);
            if (previous == null || previous.isEmpty()) {
                return BACK_TO_EMPTY;
            }
            return () -> install(previous);
        }

        private static void install(Map<String, String> context) {
            if (context == null || context.isEmpty()) {
                MDC.clear();
            }
            else {
                MDC.setContextMap(context);
            }
        }
    }
}
