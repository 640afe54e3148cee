package io.github.retrystarter.core;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of {@link Backoff} over 10,000 seeded random cases each, edge values mixed in:
 * a failing case names its seed and its inputs, and repeats on every run.
 */
class BackoffPropertiesTest {

    private static final int CASES = 10_000;
    private static final long SEED = 20_261_204L;

    @Test
    void delayStaysWithinZeroAndMax() {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            Backoff backoff = backoff(random);
            int retry = retry(random, Integer.MAX_VALUE);
            double draw = draw(random);

            long delay = backoff.delayMillis(retry, draw);

            assertThat(delay).as("case %d: %s, retry %d, draw %s", i, backoff, retry, draw)
                    .isBetween(0L, backoff.maxMillis())
                    .isLessThanOrEqualTo(backoff.ceilingMillis(retry));
        }
    }

    @Test
    void ceilingNeverShrinksAsRetriesGoOn() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < CASES; i++) {
            Backoff backoff = backoff(random);
            int retry = retry(random, Integer.MAX_VALUE - 1);

            long ceiling = backoff.ceilingMillis(retry);

            String inputs = "case " + i + ": " + backoff + ", retry " + retry;
            assertThat(backoff.ceilingMillis(retry + 1)).as(inputs)
                    .isGreaterThanOrEqualTo(ceiling);
            assertThat(ceiling).as(inputs).isBetween(backoff.baseMillis(), backoff.maxMillis());
        }
    }

    @Test
    void firstRetryWaitsExactlyTheBase() {
        Random random = new Random(SEED + 2);
        for (int i = 0; i < CASES; i++) {
            Backoff backoff = backoff(random);

            assertThat(backoff.ceilingMillis(1)).as("case %d: %s", i, backoff)
                    .isEqualTo(backoff.baseMillis());
        }
    }

    /**
     * Any valid backoff: base and the distance from base to max anywhere in
     * {@code [0, Long.MAX_VALUE]} (max saturating), multipliers near 1, up to 10, or up to
     * {@code Double.MAX_VALUE}, with and without jitter.
     */
    private static Backoff backoff(Random random) {
        long base = anyLong(random);
        long max = saturatedSum(base, anyLong(random));
        double multiplier = switch (random.nextInt(4)) {
            case 0 -> 1.0 + random.nextDouble() * 9.0;
            case 1 -> 1.0 + random.nextDouble() * (Double.MAX_VALUE - 1.0);
            case 2 -> new double[] {1.0, 2.0, Math.nextUp(1.0), Double.MAX_VALUE}
                    [random.nextInt(4)];
            default -> 1.0 + random.nextDouble();
        };
        return new Backoff(base, max, multiplier, random.nextBoolean());
    }

    /** A long in {@code [0, Long.MAX_VALUE]}: small, of any magnitude, or an edge value. */
    private static long anyLong(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(1_001);
            case 1 -> (random.nextLong() & Long.MAX_VALUE) >>> random.nextInt(63);
            case 2 -> new long[] {0, 1, 2, Long.MAX_VALUE - 1, Long.MAX_VALUE}[random.nextInt(5)];
            default -> random.nextLong() & Long.MAX_VALUE;
        };
    }

    /** A retry number in {@code [1, most]}: small, of any magnitude, or an edge value. */
    private static int retry(Random random, int most) {
        return switch (random.nextInt(3)) {
            case 0 -> 1 + random.nextInt(Math.min(most, 64));
            case 1 -> 1 + random.nextInt(most);
            default -> new int[] {1, 2, most - 1, most}[random.nextInt(4)];
        };
    }

    /** A draw in {@code [0, 1)}, its ends included now and then. */
    private static double draw(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> 0.0;
            case 1 -> Math.nextDown(1.0);
            default -> random.nextDouble();
        };
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
