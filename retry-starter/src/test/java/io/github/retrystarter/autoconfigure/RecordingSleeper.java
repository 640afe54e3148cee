package io.github.retrystarter.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.retrystarter.core.Sleeper;

/** A {@link Sleeper} that records the delays asked for and returns at once. */
public class RecordingSleeper implements Sleeper {

    private final List<Long> delays = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(long millis) {
        delays.add(millis);
    }

    public List<Long> delays() {
        return delays;
    }
}
