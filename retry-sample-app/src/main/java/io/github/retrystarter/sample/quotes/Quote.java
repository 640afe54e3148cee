package io.github.retrystarter.sample.quotes;

/**
 * A quote as the downstream serves it.
 *
 * @param id the id it was asked for by
 * @param text the quote itself
 * @param downstreamCall which call for this id the downstream answered with it, from 1
 */
public record Quote(String id, String text, int downstreamCall) {
}
