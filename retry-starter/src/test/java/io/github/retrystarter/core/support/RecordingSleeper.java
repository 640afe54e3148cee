package io.github.retrystarter.core.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.retrystarter.core.Sleeper;

/**
 * A {@link Sleeper} that records the delays asked for and returns at once, optionally running
 * an action during the "sleep" (to close a retrier, for example).
 */
public final class RecordingSleeper implements Sleeper {

    private final List<Long> delays = new CopyOnWriteArrayList<>();
    private volatile Runnable duringSleep = () -> { };

    @Override
    public void sleep(long millis) {
        delays.add(millis);
        duringSleep.run();
    }

    /** Runs {@code action} each time the sleeper is asked to wait. */
    public RecordingSleeper during(Runnable action) {
        this.duringSleep = action;
        return this;
    }

    /** Every delay asked for, in milliseconds, in the order asked. */
    public List<Long> delays() {
        return List.copyOf(delays);
    }
}
