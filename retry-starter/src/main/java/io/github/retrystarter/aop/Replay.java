package io.github.retrystarter.aop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.retrystarter.core.Attempt;

import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.ReflectiveMethodInvocation;

/**
 * Runs an intercepted call again, through the interceptors after ours (a transaction advice,
 * say), for each retry.
 *
 * <p>Spring's {@link ReflectiveMethodInvocation} keeps its place in the interceptor chain in a
 * private index, which {@code proceed()} advances. To let the first attempt run on the
 * original invocation, allocating nothing, the index is read on entry and put back before each
 * retry. Where that field cannot be reached (another AOP implementation, or a runtime that
 * refuses the access), a copy is taken before the first attempt instead, as
 * {@link ProxyMethodInvocation#invocableClone()} allows.
 */
final class Replay {

    /** {@link #mark} when the index cannot be used; a copy is needed instead. */
    static final int NO_MARK = Integer.MIN_VALUE;

    private static final VarHandle INDEX = findIndex();

    private Replay() {
    }

    private static VarHandle findIndex() {
        try {
            return MethodHandles.privateLookupIn(ReflectiveMethodInvocation.class,
                    MethodHandles.lookup()).findVarHandle(ReflectiveMethodInvocation.class,
                            "currentInterceptorIndex", int.class);
        }
        catch (ReflectiveOperationException | RuntimeException unavailable) {
            return null;
        }
    }

    /** Whether retries can rewind the original invocation instead of copying it. */
    static boolean canRewind() {
        return INDEX != null;
    }

    /** The chain position of {@code invocation} now, or {@link #NO_MARK}. */
    static int mark(MethodInvocation invocation) {
        return INDEX != null && invocation instanceof ReflectiveMethodInvocation
                ? (int) INDEX.get(invocation) : NO_MARK;
    }

    /** A copy to replay from, needed when {@code mark} is {@link #NO_MARK}; else null. */
    static MethodInvocation copyIfNeeded(MethodInvocation invocation, int mark) {
        if (mark != NO_MARK) {
            return null;
        }
        return invocation instanceof ProxyMethodInvocation proxied
                ? proxied.invocableClone() : null;
    }

    /** Runs the call again from our place in the chain. */
    static Object proceedAgain(MethodInvocation invocation, int mark, MethodInvocation copy)
            throws Throwable {
        if (mark != NO_MARK) {
            INDEX.set(invocation, mark);
            return invocation.proceed();
        }
        if (copy instanceof ProxyMethodInvocation proxied) {
            return proxied.invocableClone().proceed();
        }
        throw new IllegalStateException("Cannot retry " + invocation.getMethod() + ": the"
                + " invocation is a " + invocation.getClass().getName() + ", which can be"
                + " neither rewound nor copied");
    }

    static Attempt<Object> attempt(MethodInvocation invocation, int mark, MethodInvocation copy) {
        return () -> proceedAgain(invocation, mark, copy);
    }

    @SuppressWarnings("unchecked")
    static Supplier<CompletionStage<Object>> stage(MethodInvocation invocation, int mark,
            MethodInvocation copy) {
        return () -> {
            try {
                return (CompletionStage<Object>) proceedAgain(invocation, mark, copy);
            }
            catch (Throwable thrown) {
                return CompletableFuture.failedFuture(thrown);
            }
        };
    }
}
