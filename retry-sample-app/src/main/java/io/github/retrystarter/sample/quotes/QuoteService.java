package io.github.retrystarter.sample.quotes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.retrystarter.annotation.Retryable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.json.JsonParseException;
import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Fetches quotes from the flaky downstream over HTTP, retrying under the policy named
 * {@code quotes}.
 *
 * <p>The annotation only names the policy; its settings (delays, attempts, which errors are
 * retried) are in {@code application.yml} under {@code retry.instances.quotes}. Each attempt
 * is a new, non-blocking call of the JDK {@link HttpClient}: no thread waits for the answer or
 * for the delay before a retry.
 */
@Service
public class QuoteService implements DisposableBean {

    /**
     * The client's own threads: without an executor, the JDK client completes each response
     * on a new thread where fewer than three cores make its default pool start one per task.
     */
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "quote-http");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client;
    private final QuoteClientProperties properties;
    private final Environment environment;
    private final JsonParser json = JsonParserFactory.getJsonParser();

    /**
     * Creates the service.
     *
     * @param properties the timeouts of calls to the downstream
     * @param environment where the port of the running server is found
     */
    public QuoteService(QuoteClientProperties properties, Environment environment) {
        this.client = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .executor(httpThreads).build();
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void destroy() {
        httpThreads.shutdownNow();
    }

    /**
     * Fetches the quote with id {@code id}.
     *
     * @param id the quote's id
     * @return a future of the quote; it fails with a {@link DownstreamUnavailableException} or
     *         {@link DownstreamTimeoutException} once the retries are used up, or at once with a
     *         {@link DownstreamRejectedException}
     */
    @Retryable(name = "quotes")
    public CompletableFuture<Quote> fetch(String id) {
        HttpRequest request = HttpRequest.newBuilder(downstreamUri(id))
                .timeout(properties.requestTimeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        CompletableFuture<HttpResponse<String>> sent =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        CompletableFuture<Quote> quote = new CompletableFuture<>();
        sent.whenComplete((response, error) -> {
            try {
                if (error != null) {
                    quote.completeExceptionally(translate(id, error));
                }
                else {
                    quote.complete(toQuote(id, response));
                }
            }
            catch (RuntimeException failure) {
                quote.completeExceptionally(failure);
            }
        });
        // cancelling the returned future (the retry does, when its caller cancels) aborts
        // the request in flight
        quote.whenComplete((value, error) -> {
            if (quote.isCancelled()) {
                sent.cancel(true);
            }
        });
        return quote;
    }

    /** The downstream runs in this application: its port is known only once it listens. */
    private URI downstreamUri(String id) {
        String port = environment.getProperty("local.server.port");
        if (port == null) {
            throw new IllegalStateException("The web server is not listening yet, so the"
                    + " downstream's port is unknown");
        }
        return UriComponentsBuilder.fromUriString("http://127.0.0.1:" + port)
                .path("/downstream/quotes/{id}").buildAndExpand(id).encode().toUri();
    }

    private Quote toQuote(String id, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 503) {
            throw new DownstreamUnavailableException(id, "The downstream answered 503", null);
        }
        if (status != 200) {
            throw new DownstreamRejectedException(id, status,
                    "The downstream answered " + status, null);
        }
        try {
            Map<String, Object> body = json.parseMap(response.body());
            return new Quote((String) body.get("id"), (String) body.get("text"),
                    ((Number) body.get("downstreamCall")).intValue());
        }
        catch (JsonParseException | ClassCastException | NullPointerException unreadable) {
            throw new DownstreamRejectedException(id, status,
                    "The downstream answered 200 with a body that is not a quote", unreadable);
        }
    }

    private static Throwable translate(String id, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            // HttpConnectTimeoutException, a subtype, is a connect timeout
            return new DownstreamTimeoutException(id, "The downstream did not answer in time: "
                    + cause.getMessage(), cause);
        }
        if (cause instanceof IOException) {
            return new DownstreamUnavailableException(id, "The downstream could not be reached: "
                    + cause, cause);
        }
        return cause;
    }
}
