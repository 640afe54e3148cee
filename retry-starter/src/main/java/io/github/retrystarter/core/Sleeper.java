package io.github.retrystarter.core;

/**
 * Waits between the attempts of a synchronous call, on the caller's thread.
 *
 * <p>Replace it to record delays in tests instead of waiting for them. Note that the default
 * sleeper also wakes up when the {@link Retrier} is closed; a replacement is asked to return
 * at its own pace, and the call then ends with its last failure.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits {@code millis} milliseconds.
     *
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(long millis) throws InterruptedException;
}
