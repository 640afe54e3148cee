package io.github.retrystarter.core;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;

import io.github.retrystarter.core.InvariantScenario.Kind;
import io.github.retrystarter.core.InvariantScenario.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants of the retry loops over thousands of seeded random cases: random attempt
 * outcomes, random cancel and close times, random policies (huge values included), all on
 * virtual time, so that every case is reproducible from its seed and the whole runs in a
 * second or two.
 *
 * <p>{@code -Dretry.invariants.cases=N} runs more cases, {@code -Dretry.invariants.seed=S}
 * starts from another seed. A case that fails names its seed; it is then kept below as a
 * regular test named after what it guards.
 */
class RetrierInvariantsTest {

    private static final int CASES = Integer.getInteger("retry.invariants.cases", 4_000);
    private static final long FIRST_SEED = Long.getLong("retry.invariants.seed", 20_261_204L);

    @Test
    void asynchronousCallsKeepEveryInvariant() {
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        int leftRunning = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = FIRST_SEED + i;
            AsyncInvariantCase run = new AsyncInvariantCase(
                    InvariantScenario.random(new Random(seed)));
            try {
                run.runAndCheck();
            }
            catch (AssertionError | RuntimeException failure) {
                throw new AssertionError("seed " + seed + ": " + run.scenario + "\n"
                        + failure.getMessage(), failure);
            }
            outcomes.merge(run.ending().outcome(), 1, Integer::sum);
            leftRunning += run.leftRunning ? 1 : 0;
        }
        System.out.printf("Async invariants: %d cases, outcomes %s, %d left running until"
                + " the caller cancelled%n", CASES, outcomes, leftRunning);
        assertThat(outcomes).as("every outcome is reached by some case")
                .containsKeys(Outcome.values());
    }

    @Test
    void synchronousCallsKeepEveryInvariant() {
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        for (int i = 0; i < CASES; i++) {
            long seed = FIRST_SEED + i;
            SyncInvariantCase run = new SyncInvariantCase(
                    InvariantScenario.random(new Random(seed)));
            try {
                run.runAndCheck();
            }
            catch (AssertionError | RuntimeException failure) {
                throw new AssertionError("seed " + seed + ": " + run.scenario + "\n"
                        + failure.getMessage(), failure);
            }
            finally {
                Thread.interrupted();
            }
            outcomes.merge(run.listener.onlyEnding().outcome(), 1, Integer::sum);
        }
        System.out.printf("Sync invariants: %d cases, outcomes %s%n", CASES, outcomes);
        assertThat(outcomes).as("every outcome a synchronous call can have is reached")
                .containsKeys(Outcome.SUCCESS, Outcome.RECOVERED, Outcome.EXHAUSTED,
                        Outcome.ABORTED, Outcome.THROTTLED);
    }

    // ---- cases the random search found, kept by what they guard ---------------------------

    @Test
    void aCancelWhileTheJitterIsDrawnLeavesNoPendingRetry() {
        InvariantScenario found = scenario(0, 1, -1, new Step(Kind.RETRYABLE, 10, false),
                new Step(Kind.VALUE, 0, false));

        AsyncInvariantCase run = new AsyncInvariantCase(found);
        run.runAndCheck();

        assertThat(run.ending().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void aFirstAttemptWhoseTimerIsRefusedFailsRatherThanSucceedingWithNull() {
        InvariantScenario found = scenario(100, -1, 0, new Step(Kind.ERROR, 120, false));

        AsyncInvariantCase run = new AsyncInvariantCase(found);
        run.runAndCheck();

        assertThat(run.ending().outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(run.ending().error()).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aMinimalStageAsARetryIsTimedOutLikeAnyOther() {
        InvariantScenario found = scenario(138, -1, -1, new Step(Kind.NEVER, 0, false),
                new Step(Kind.NEVER, 0, true), new Step(Kind.VALUE, 0, false));

        AsyncInvariantCase run = new AsyncInvariantCase(found);
        run.runAndCheck();

        assertThat(run.ending().outcome()).isEqualTo(Outcome.RECOVERED);
    }

    /** Base 50 ms, max 1 s, doubling, no jitter, deadline or budget; one attempt a step. */
    private static InvariantScenario scenario(long attemptTimeout, int cancelOnDraw, long refuseAt,
            Step... steps) {
        return new InvariantScenario(steps.length, 50, 1_000, 2, false, attemptTimeout, 0, false,
                false, -1, 0, List.of(steps), -1, -1, cancelOnDraw, -1, refuseAt, false, 1);
    }
}
