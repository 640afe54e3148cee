package io.github.retrystarter.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffPropertiesTest {

    @Property
    void delayStaysWithinZeroAndMax(@ForAll("backoffs") Backoff backoff,
            @ForAll @IntRange(min = 1) int retry,
            @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double random) {
        long delay = backoff.delayMillis(retry, random);

        assertThat(delay).isBetween(0L, backoff.maxMillis())
                .isLessThanOrEqualTo(backoff.ceilingMillis(retry));
    }

    @Property
    void ceilingNeverShrinksAsRetriesGoOn(@ForAll("backoffs") Backoff backoff,
            @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE - 1) int retry) {
        long ceiling = backoff.ceilingMillis(retry);

        assertThat(backoff.ceilingMillis(retry + 1)).isGreaterThanOrEqualTo(ceiling);
        assertThat(ceiling).isBetween(backoff.baseMillis(), backoff.maxMillis());
    }

    @Property
    void firstRetryWaitsExactlyTheBase(@ForAll("backoffs") Backoff backoff) {
        assertThat(backoff.ceilingMillis(1)).isEqualTo(backoff.baseMillis());
    }

    @Provide
    Arbitrary<Backoff> backoffs() {
        Arbitrary<Long> base = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Long> extra = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Double> multiplier = Arbitraries.oneOf(
                Arbitraries.doubles().between(1.0, 10.0),
                Arbitraries.doubles().between(1.0, Double.MAX_VALUE),
                Arbitraries.of(1.0, 2.0, Math.nextUp(1.0)));
        return Combinators.combine(base, extra, multiplier, Arbitraries.of(true, false))
                .as((b, e, m, jitter) -> new Backoff(b, saturatedSum(b, e), m, jitter));
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
