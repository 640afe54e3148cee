package io.github.retrystarter.sample.downstream;

import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the flaky downstream at {@code GET /downstream/quotes/{id}}, in the same application
 * so that the sample needs nothing else, yet is reached over real HTTP.
 */
@RestController
public class FlakyDownstreamController {

    private final FlakyDownstream downstream;

    /**
     * Creates the controller.
     *
     * @param downstream decides each answer and counts the calls
     */
    public FlakyDownstreamController(FlakyDownstream downstream) {
        this.downstream = downstream;
    }

    /**
     * Answers a request for a quote: 503 a few times, then the quote.
     *
     * @param id the quote's id
     * @return 200 with the quote, or 503/500 with a short JSON error
     * @throws InterruptedException when the server stops while a slow answer is held back
     */
    @GetMapping("/downstream/quotes/{id}")
    public ResponseEntity<?> quote(@PathVariable String id) throws InterruptedException {
        FlakyDownstream.Answer answer = downstream.call(id);
        if (answer.delayMillis() > 0) {
            Thread.sleep(answer.delayMillis());
        }
        if (!answer.status().is2xxSuccessful()) {
            return ResponseEntity.status(answer.status()).body(Map.of("error",
                    answer.status().getReasonPhrase(), "id", id, "call", answer.call()));
        }
        return ResponseEntity.ok(new QuoteBody(id, downstream.textFor(id), answer.call()));
    }

    /**
     * The downstream's quote, as it is sent.
     *
     * @param id the id it was asked for by
     * @param text the quote itself
     * @param downstreamCall which call for this id is answered with it, from 1
     */
    public record QuoteBody(String id, String text, int downstreamCall) {
    }
}
