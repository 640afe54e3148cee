package io.github.retrystarter.sample.quotes;

import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves {@code GET /quotes/{id}} through the retrying {@link QuoteService}.
 *
 * <p>The answer is asynchronous: no request thread waits while the service retries. When the
 * retries are used up the answer is a short JSON error, 503 (or 504 when the downstream kept
 * timing out), never a stack trace.
 */
@RestController
public class QuoteController {

    private static final Logger log = LoggerFactory.getLogger(QuoteController.class);

    private final QuoteService quotes;

    /**
     * Creates the controller.
     *
     * @param quotes the retrying service
     */
    public QuoteController(QuoteService quotes) {
        this.quotes = quotes;
    }

    /**
     * Answers with the quote {@code id}.
     *
     * @param id the quote's id
     * @return a future of 200 with the quote; a failure is answered by the handlers below
     */
    @GetMapping("/quotes/{id}")
    public CompletableFuture<ResponseEntity<Quote>> quote(@PathVariable String id) {
        return quotes.fetch(id).thenApply(ResponseEntity::ok);
    }

    /**
     * Answers 503 once the downstream stayed unavailable through every attempt.
     *
     * @param error the last failure
     * @return the error answer
     */
    @ExceptionHandler(DownstreamUnavailableException.class)
    public ResponseEntity<ErrorBody> unavailable(DownstreamUnavailableException error) {
        return answer(HttpStatus.SERVICE_UNAVAILABLE, "downstream unavailable after "
                + attempts(error) + " attempts", error);
    }

    /**
     * Answers 504 once the downstream kept timing out through every attempt.
     *
     * @param error the last failure
     * @return the error answer
     */
    @ExceptionHandler(DownstreamTimeoutException.class)
    public ResponseEntity<ErrorBody> timedOut(DownstreamTimeoutException error) {
        return answer(HttpStatus.GATEWAY_TIMEOUT, "downstream timed out after "
                + attempts(error) + " attempts", error);
    }

    /**
     * Answers 502 at once when the downstream answered with an error not worth a retry.
     *
     * @param error the failure
     * @return the error answer
     */
    @ExceptionHandler(DownstreamRejectedException.class)
    public ResponseEntity<ErrorBody> rejected(DownstreamRejectedException error) {
        return answer(HttpStatus.BAD_GATEWAY, "downstream answered " + error.status(), error);
    }

    private static ResponseEntity<ErrorBody> answer(HttpStatus status, String message,
            DownstreamException error) {
        log.info("GET /quotes/{}: {} ({})", error.id(), message, error.getMessage());
        return ResponseEntity.status(status).body(new ErrorBody(message, error.id()));
    }

    /**
     * How many attempts the call made: the retry attaches the failures of the earlier attempts
     * to the last one as suppressed exceptions.
     */
    private static int attempts(DownstreamException last) {
        int attempts = 1;
        for (Throwable earlier : last.getSuppressed()) {
            if (earlier instanceof DownstreamException) {
                attempts++;
            }
        }
        return attempts;
    }

    /**
     * The body of an error answer.
     *
     * @param error what went wrong
     * @param id the id of the quote asked for
     */
    public record ErrorBody(String error, String id) {
    }
}
