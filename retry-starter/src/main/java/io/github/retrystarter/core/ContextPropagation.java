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

        private MdcPropagation() {
        }

        @Override
        public Snapshot capture() {
            Map<String, String> captured = MDC.getCopyOfContextMap();
            return () -> {
                Map<String, String> previous = MDC.getCopyOfContextMap();
                install(captured);
                return () -> install(previous);
            };
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
