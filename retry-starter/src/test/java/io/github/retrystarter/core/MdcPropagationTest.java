package io.github.retrystarter.core;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/** What the default propagation carries: the caller's MDC, an empty one included. */
class MdcPropagationTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void carriesTheCallersMdcAndPutsBackWhatTheThreadHad() {
        MDC.put("traceId", "caller");
        ContextPropagation.Snapshot snapshot = ContextPropagation.MDC_ONLY.capture();
        MDC.clear();
        MDC.put("left", "over");

        try (ContextPropagation.Scope scope = snapshot.restore()) {
            assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("traceId", "caller"));
        }
        assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("left", "over"));
    }

    @Test
    void anEmptyMdcIsCarriedTooClearingWhatTheThreadHad() {
        ContextPropagation.Snapshot snapshot = ContextPropagation.MDC_ONLY.capture();
        MDC.put("left", "over");

        try (ContextPropagation.Scope scope = snapshot.restore()) {
            assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
        }
        assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("left", "over"));
    }

    @Test
    void aThreadWithAnEmptyMdcGetsItBackEmpty() {
        MDC.put("traceId", "caller");
        ContextPropagation.Snapshot snapshot = ContextPropagation.MDC_ONLY.capture();
        MDC.clear();

        try (ContextPropagation.Scope scope = snapshot.restore()) {
            assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("traceId", "caller"));
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void anEmptyMdcIsCapturedAndRestoredWithoutAllocating() {
        ContextPropagation.Snapshot first = ContextPropagation.MDC_ONLY.capture();
        MDC.put("gone", "soon");
        MDC.remove("gone");
        ContextPropagation.Snapshot second = ContextPropagation.MDC_ONLY.capture();

        assertThat(second).isSameAs(first);
        ContextPropagation.Scope scope = first.restore();
        scope.close();
        ContextPropagation.Scope again = second.restore();
        again.close();
        assertThat(again).isSameAs(scope);
    }
}
