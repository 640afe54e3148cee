package io.github.retrystarter.sample.downstream;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The behaviour of the flaky downstream, with a count of the calls it got for each id.
 *
 * <p>Each id is answered with 503 for its first {@code failures-per-id} calls and with 200
 * after that; ids listed as outage or broken are answered with 503 or 500 for good.
 */
@Component
public class FlakyDownstream {

    private static final List<String> PROVERBS = List.of(
            "If at first you don't succeed, try, try again.",
            "Fall seven times, stand up eight.",
            "Patience is bitter, but its fruit is sweet.",
            "Rome was not built in a day.");

    private final DownstreamProperties properties;
    private final ConcurrentMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /**
     * Creates the downstream.
     *
     * @param properties how it misbehaves
     */
    public FlakyDownstream(DownstreamProperties properties) {
        this.properties = properties;
    }

    /**
     * Counts a call for {@code id} and decides its answer.
     *
     * @param id the requested quote's id
     * @return the answer to send
     */
    public Answer call(String id) {
        int call = calls.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
        HttpStatus status;
        if (properties.brokenIds().contains(id)) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        else if (properties.outageIds().contains(id) || call <= properties.failuresPerId()) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
        }
        else {
            status = HttpStatus.OK;
        }
        long delay = properties.slowIds().contains(id) ? properties.slowDelay().toMillis() : 0;
        return new Answer(status, call, delay);
    }

    /**
     * How many calls the downstream got for {@code id}.
     *
     * @param id a quote's id
     * @return the number of calls so far, 0 for an id never asked for
     */
    public int calls(String id) {
        AtomicInteger count = calls.get(id);
        return count == null ? 0 : count.get();
    }

    /**
     * The quote text served for {@code id}; the same id always gets the same text.
     *
     * @param id a quote's id
     * @return a proverb
     */
    public String textFor(String id) {
        return PROVERBS.get(Math.floorMod(id.hashCode(), PROVERBS.size()));
    }

    /**
     * The answer to one call.
     *
     * @param status the status to answer with
     * @param call the number of this call for its id, starting at 1
     * @param delayMillis how long to hold the answer back
     */
    public record Answer(HttpStatus status, int call, long delayMillis) {
    }
}
