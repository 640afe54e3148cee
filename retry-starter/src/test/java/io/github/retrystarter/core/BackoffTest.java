package io.github.retrystarter.core;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackoffTest {

    /** The largest draw below 1 that a uniform source in {@code [0, 1)} can return. */
    private static final double JUST_BELOW_ONE = Math.nextDown(1.0);

    private static List<Long> ceilings(Backoff backoff, int retries) {
        return IntStream.rangeClosed(1, retries).mapToObj(backoff::ceilingMillis).toList();
    }

    @Test
    void delaysDoubleFromBaseUntilTheCap() {
        Backoff backoff = new Backoff(50, 1000, 2.0, false);

        assertThat(ceilings(backoff, 7))
                .containsExactly(50L, 100L, 200L, 400L, 800L, 1000L, 1000L);
        assertThat(IntStream.rangeClosed(1, 7).mapToObj(k -> backoff.delayMillis(k, 0.5)))
                .containsExactly(50L, 100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void capAppliesAsSoonAsTheGrowthPassesIt() {
        Backoff backoff = new Backoff(300, 1000, 3.0, false);

        assertThat(ceilings(backoff, 4)).containsExactly(300L, 900L, 1000L, 1000L);
    }

    @Test
    void fractionalDelaysAreCutToWholeMilliseconds() {
        Backoff backoff = new Backoff(100, 10_000, 1.5, false);

        assertThat(ceilings(backoff, 4)).containsExactly(100L, 150L, 225L, 337L);
    }

    @Test
    void baseEqualToMaxNeverGrows() {
        assertThat(ceilings(new Backoff(250, 250, 2.0, false), 5)).containsOnly(250L);
    }

    @Test
    void jitterWithADrawOfZeroWaitsNotAtAll() {
        Backoff backoff = new Backoff(50, 1000, 2.0, true);

        assertThat(IntStream.rangeClosed(1, 7).mapToObj(k -> backoff.delayMillis(k, 0.0)))
                .containsOnly(0L);
    }

    @Test
    void jitterWithADrawJustBelowOneWaitsTheWholeCeiling() {
        Backoff backoff = new Backoff(50, 1000, 2.0, true);

        assertThat(IntStream.rangeClosed(1, 7)
                .mapToObj(k -> backoff.delayMillis(k, JUST_BELOW_ONE)))
                .containsExactly(50L, 100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void jitterDrawsUniformlyOverTheWholeMillisecondsUpToTheCeiling() {
        Backoff backoff = new Backoff(50, 1000, 2.0, true);

        // [0, 50] holds 51 whole milliseconds, so a draw of 0.5 lands on 25
        assertThat(backoff.delayMillis(1, 0.5)).isEqualTo(25);
        assertThat(backoff.delayMillis(2, 0.5)).isEqualTo(50);
        assertThat(backoff.delayMillis(2, 0.25)).isEqualTo(25);
        for (int step = 0; step < 1000; step++) {
            double draw = step / 1000.0;
            assertThat(backoff.delayMillis(3, draw)).isBetween(0L, 200L);
        }
    }

    @Test
    void zeroBaseNeverWaits() {
        Backoff plain = new Backoff(0, 1000, 2.0, false);
        Backoff jittered = new Backoff(0, 1000, 2.0, true);

        for (int retry : new int[] {1, 2, 64, 1_000_000, Integer.MAX_VALUE}) {
            assertThat(plain.ceilingMillis(retry)).isZero();
            assertThat(jittered.delayMillis(retry, JUST_BELOW_ONE)).isZero();
        }
    }

    @Test
    void multiplierOfOneKeepsTheBaseForever() {
        Backoff backoff = new Backoff(70, 1000, 1.0, false);

        assertThat(ceilings(backoff, 200)).containsOnly(70L);
        assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(70);
    }

    @Test
    void growthWithoutACapStopsAtLongMaxValueInsteadOfOverflowing() {
        Backoff backoff = new Backoff(1, Long.MAX_VALUE, 2.0, false);

        assertThat(backoff.ceilingMillis(63)).isEqualTo(1L << 62);
        assertThat(backoff.ceilingMillis(64)).isEqualTo(Long.MAX_VALUE);
        assertThat(backoff.ceilingMillis(1_000_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertNonDecreasingUpTo200(backoff);
    }

    @Test
    void hugeRetryNumbersStayAtTheCap() {
        Backoff backoff = new Backoff(50, 1000, 2.0, false);

        assertThat(backoff.ceilingMillis(1_000_000)).isEqualTo(1000);
        assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(1000);
        assertNonDecreasingUpTo200(backoff);
    }

    @Test
    void aHugeMultiplierReachesTheCapOnTheSecondRetry() {
        Backoff backoff = new Backoff(3, Long.MAX_VALUE, Double.MAX_VALUE, false);

        assertThat(backoff.ceilingMillis(1)).isEqualTo(3);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(Long.MAX_VALUE);
        assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void jitterUnderTheLargestCeilingStaysWithinIt() {
        Backoff backoff = new Backoff(Long.MAX_VALUE, Long.MAX_VALUE, 2.0, true);

        assertThat(backoff.delayMillis(Integer.MAX_VALUE, JUST_BELOW_ONE))
                .isPositive().isLessThanOrEqualTo(Long.MAX_VALUE);
        assertThat(backoff.delayMillis(1, 0.0)).isZero();
    }

    private static void assertNonDecreasingUpTo200(Backoff backoff) {
        List<Long> values = new ArrayList<>(ceilings(backoff, 200));
        values.add(backoff.ceilingMillis(1_000_000));
        values.add(backoff.ceilingMillis(Integer.MAX_VALUE));
        assertThat(values).isSorted().allSatisfy(value -> assertThat(value)
                .isBetween(backoff.baseMillis(), backoff.maxMillis()));
    }

    @Test
    void negativeBaseIsRejectedWithTheOptionAndValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(-1, 1000, 2.0, false))
                .withMessageContaining("base").withMessageContaining("-1 ms");
    }

    @Test
    void maxBelowBaseIsRejectedWithBothValues() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(100, 50, 2.0, false))
                .withMessageContaining("max").withMessageContaining("50 ms")
                .withMessageContaining("base (100 ms)");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.999, 0.5, 0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY})
    void multiplierBelowOneOrNotFiniteIsRejected(double multiplier) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Backoff(50, 1000, multiplier, false))
                .withMessageContaining("multiplier")
                .withMessageContaining(String.valueOf(multiplier));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void retryNumbersStartAtOne(int retry) {
        Backoff backoff = new Backoff(50, 1000, 2.0, false);

        assertThatIllegalArgumentException().isThrownBy(() -> backoff.ceilingMillis(retry))
                .withMessageContaining("retry").withMessageContaining(String.valueOf(retry));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.5, -Double.MIN_VALUE, 1.0, 1.5, Double.NaN})
    void drawsOutsideZeroToOneAreRejected(double random) {
        Backoff backoff = new Backoff(50, 1000, 2.0, true);

        assertThatIllegalArgumentException().isThrownBy(() -> backoff.delayMillis(1, random))
                .withMessageContaining("random").withMessageContaining(String.valueOf(random));
    }

    @Test
    void describesItselfWithUnits() {
        assertThat(new Backoff(50, 1000, 2.0, true)).hasToString(
                "Backoff[base=50 ms, max=1000 ms, multiplier=2.0, jitter=true]");
    }
}
