package io.github.retrystarter.aop;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.core.Retrier;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The interceptor's per-method policy cache, apart from any proxy. */
class RetryInterceptorCacheTest {

    private final Retrier retrier = Retrier.builder().build();
    private final AtomicInteger lookups = new AtomicInteger();
    private final RetryableMethodRegistry registry = new RetryableMethodRegistry(
            new AnnotationRetryPolicyFactory(new DefaultListableBeanFactory()));
    private final RetryInterceptor interceptor = new RetryInterceptor(() -> retrier, () -> {
        lookups.incrementAndGet();
        return registry;
    });

    @AfterEach
    void close() {
        retrier.close();
    }

    @Test
    void resolvesEachMethodOnce() throws Throwable {
        Service service = new Service();
        Method ok = Service.class.getMethod("ok");
        for (int i = 0; i < 3; i++) {
            assertThat(interceptor.invoke(new Call(service, ok))).isEqualTo("ok");
        }
        assertThat(lookups).hasValue(1);
        assertThat(interceptor.cachedEntries()).isEqualTo(1);
    }

    @Test
    void aMethodWithoutAPolicyIsCachedTooAndJustProceeds() throws Throwable {
        Service service = new Service();
        Method plain = Service.class.getMethod("plain");
        assertThat(interceptor.invoke(new Call(service, plain))).isEqualTo("plain");
        assertThat(interceptor.invoke(new Call(service, plain))).isEqualTo("plain");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aNewButEqualMethodObjectEachTimeFindsThePolicyWithoutGrowingTheCache()
            throws Throwable {
        Service service = new Service();
        for (int i = 0; i < 50; i++) {
            // Class.getMethod returns a new copy each time
            interceptor.invoke(new Call(service, Service.class.getMethod("ok")));
        }
        assertThat(interceptor.cachedEntries()).isEqualTo(1);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void manyMethodsAndBeanClassesAreEachResolvedOnce() throws Throwable {
        List<Call> calls = new ArrayList<>();
        for (Service service : List.of(new Service(), new Service() {
        })) {
            for (Method method : Service.class.getMethods()) {
                if (method.getParameterCount() == 0 && !method.getName().startsWith("wait")
                        && !method.getName().startsWith("notify")) {
                    calls.add(new Call(service, method));
                }
            }
        }
        for (Call call : calls) {
            interceptor.invoke(call);
        }
        int resolved = lookups.get();
        for (Call call : calls) {
            interceptor.invoke(call);
        }

        // more than the table first holds at half load (8): it grows on the way
        assertThat(resolved).isEqualTo(calls.size()).isGreaterThan(8);
        assertThat(lookups).hasValue(resolved);
        assertThat(interceptor.cachedEntries()).isEqualTo(calls.size());
    }

    public static class Service {

        @Retryable
        public String ok() {
            return "ok";
        }

        public String plain() {
            return "plain";
        }
    }

    /** A bare invocation, as a proxy other than Spring's could make it. */
    private record Call(Object target, Method method) implements MethodInvocation {

        @Override
        public Method getMethod() {
            return method;
        }

        @Override
        public Object[] getArguments() {
            return new Object[0];
        }

        @Override
        public Object proceed() throws Throwable {
            return method.invoke(target);
        }

        @Override
        public Object getThis() {
            return target;
        }

        @Override
        public AccessibleObject getStaticPart() {
            return method;
        }
    }
}
