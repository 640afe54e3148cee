package io.github.retrystarter.core;

/**
 * Capped exponential backoff with optional full jitter; immutable and shared by every call.
 *
 * <p>The delay before retry {@code k} (k = 1 for the first retry) is
 * {@code d(k) = min(max, base * multiplier^(k-1))}, computed without overflow for any
 * {@code k}. With jitter, the delay is drawn uniformly from the whole milliseconds in
 * {@code [0, d(k)]}. The random draw is passed in, so a test can ask for exact delays.
 */
public final class Backoff {

    private final long baseMillis;
    private final long maxMillis;
    private final double multiplier;
    private final boolean jitter;

    /**
     * Creates a backoff.
     *
     * @param baseMillis delay before the first retry, at least 0
     * @param maxMillis cap on any delay, at least {@code baseMillis}
     * @param multiplier growth factor, at least 1 and finite
     * @param jitter whether each delay is drawn uniformly from {@code [0, d(k)]}
     * @throws IllegalArgumentException naming the option, its value and the rule broken
     */
    public Backoff(long baseMillis, long maxMillis, double multiplier, boolean jitter) {
        checkBase(baseMillis);
        checkMultiplier(multiplier);
        checkMax(maxMillis, baseMillis);
        this.baseMillis = baseMillis;
        this.maxMillis = maxMillis;
        this.multiplier = multiplier;
        this.jitter = jitter;
    }

    static void checkBase(long baseMillis) {
        if (baseMillis < 0) {
            throw new IllegalArgumentException(
                    "base must be 0 ms or more, but was " + baseMillis + " ms");
        }
    }

    static void checkMax(long maxMillis, long baseMillis) {
        if (maxMillis < baseMillis) {
            throw new IllegalArgumentException("max must be at least base (" + baseMillis
                    + " ms), but was " + maxMillis + " ms");
        }
    }

    static void checkMultiplier(double multiplier) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException(
                    "multiplier must be a finite number of at least 1, but was " + multiplier);
        }
    }

    /**
     * The delay ceiling {@code d(k)} before retry {@code k}, before jitter.
     *
     * @param retry the retry number, 1 for the first retry (the second attempt)
     * @return the ceiling in milliseconds, between {@code min(base, max)} and {@code max}
     */
    public long ceilingMillis(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be 1 or more, but was " + retry);
        }
        if (baseMillis == 0 || multiplier == 1.0 || retry == 1) {
            return baseMillis;
        }
        double delay = baseMillis * Math.pow(multiplier, retry - 1);
        // pow overflows to infinity rather than wrapping, so the comparison is always safe;
        // above 2^53 ms a double drops low bits, which must not take the delay below base
        return delay >= maxMillis ? maxMillis : Math.max(baseMillis, (long) delay);
    }

    /**
     * The delay before retry {@code k}.
     *
     * @param retry the retry number, 1 for the first retry
     * @param random a uniform draw from {@code [0, 1)}, used only with jitter
     * @return the delay in milliseconds, within {@code [0, ceilingMillis(retry)]}
     * @throws IllegalArgumentException when {@code random} is outside {@code [0, 1)}
     */
    public long delayMillis(int retry, double random) {
        if (!(random >= 0.0 && random < 1.0)) {
            throw new IllegalArgumentException(
                    "random must be a draw from [0, 1), but was " + random);
        }
        long ceiling = ceilingMillis(retry);
        if (!jitter || ceiling == 0) {
            return ceiling;
        }
        // ceiling + 1 makes the upper bound reachable; at Long.MAX_VALUE it cannot be added
        double span = ceiling == Long.MAX_VALUE ? ceiling : ceiling + 1.0;
        return Math.min(ceiling, (long) (random * span));
    }

    public long baseMillis() {
        return baseMillis;
    }

    public long maxMillis() {
        return maxMillis;
    }

    public double multiplier() {
        return multiplier;
    }

    public boolean jitter() {
        return jitter;
    }

    @Override
    public String toString() {
        return "Backoff[base=" + baseMillis + " ms, max=" + maxMillis + " ms, multiplier="
                + multiplier + ", jitter=" + jitter + "]";
    }
}
