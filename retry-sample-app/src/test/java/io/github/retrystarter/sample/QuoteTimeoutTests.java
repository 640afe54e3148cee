package io.github.retrystarter.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.retrystarter.sample.downstream.FlakyDownstream;
import io.github.retrystarter.sample.reference.ReferenceRunner;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that a downstream that answers too late is retried and ends in a 504, with a short
 * request timeout so that the test stays quick.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "sample.reference.enabled=false",
    "sample.quotes.request-timeout=300ms",
    "sample.downstream.slow-delay=1s",
    "retry.instances.quotes.base=10ms",
    "retry.instances.quotes.max=40ms"})
class QuoteTimeoutTests {

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private FlakyDownstream downstream;

    @Test
    void slowDownstreamAnswers504AfterFourTimeouts() throws Exception {
        int before = downstream.calls("slow");
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/quotes/slow"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        long start = System.nanoTime();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).isEqualTo(
                "{\"error\":\"downstream timed out after 4 attempts\",\"id\":\"slow\"}");
        assertThat(downstream.calls("slow") - before).isEqualTo(4);
    }

    @Test
    void referenceProgramCanBeSwitchedOff(
            @Autowired ApplicationContext context) {
        assertThat(context.getBeanNamesForType(
                ReferenceRunner.class)).isEmpty();
    }
}
