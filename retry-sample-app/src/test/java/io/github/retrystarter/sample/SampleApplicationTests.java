package io.github.retrystarter.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.github.retrystarter.sample.downstream.FlakyDownstream;
import io.github.retrystarter.sample.quotes.DownstreamUnavailableException;
import io.github.retrystarter.sample.reference.ReferenceAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the whole sample on a random port and checks what a user would see: the reference
 * program's output, and real HTTP calls of {@code /quotes/{id}} that retry the flaky
 * downstream.
 *
 * <p>The output capture starts before the context, so the reference program, which runs while
 * the context starts, is captured too. Every test of this class shares that one context.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "retry.instances.quotes.base=10ms",
    "retry.instances.quotes.max=40ms",
    "spring.mvc.servlet.load-on-startup=1"})
class SampleApplicationTests {

    private static final List<String> REFERENCE_OUTPUT = List.of(
            "Attempt #1",
            " -> temporary failure",
            "Attempt #2",
            " -> temporary failure",
            "Attempt #3",
            " -> permanent failure (stop)",
            "",
            "Final failure: Permanent");

    /** A line written by the logging system, which starts with a timestamp. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:.*");

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private FlakyDownstream downstream;

    @Autowired
    private ReferenceAction referenceAction;

    @Test
    void printsTheReferenceOutputOnStartUp(CapturedOutput output) {
        List<String> printed = Arrays.stream(output.getOut().split("\\R", -1))
                .filter(line -> !LOG_LINE.matcher(line).matches())
                .toList();
        int start = printed.indexOf(REFERENCE_OUTPUT.get(0));
        assertThat(start).as("'Attempt #1' in %s", printed).isNotNegative();
        assertThat(printed.subList(start, Math.min(printed.size(),
                start + REFERENCE_OUTPUT.size()))).isEqualTo(REFERENCE_OUTPUT);
        assertThat(printed).doesNotContain("Attempt #4");
        assertThat(printed.lastIndexOf(REFERENCE_OUTPUT.get(0))).isEqualTo(start);
        assertThat(referenceAction.attempts()).isEqualTo(3);
    }

    @Test
    void quoteSucceedsAfterTheDownstreamFailedTwice() throws Exception {
        int before = downstream.calls("abc");

        HttpResponse<String> response = get("/quotes/abc");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"id\":\"abc\"", "\"downstreamCall\":3",
                "\"text\":\"" + downstream.textFor("abc") + "\"");
        assertThat(downstream.calls("abc") - before).isEqualTo(3);
    }

    @Test
    void outageAnswers503WithAShortBodyAfterFourAttempts() throws Exception {
        int before = downstream.calls("outage");
        long start = System.nanoTime();

        HttpResponse<String> response = get("/quotes/outage");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo(
                "{\"error\":\"downstream unavailable after 4 attempts\",\"id\":\"outage\"}");
        assertThat(downstream.calls("outage") - before).isEqualTo(4);
    }

    @Test
    void errorNotWorthARetryIsAnsweredAtOnce() throws Exception {
        int before = downstream.calls("broken");

        HttpResponse<String> response = get("/quotes/broken");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo(
                "{\"error\":\"downstream answered 500\",\"id\":\"broken\"}");
        assertThat(downstream.calls("broken") - before).isEqualTo(1);
    }

    @Test
    void logsEachRetryAtDebug(CapturedOutput output) throws Exception {
        HttpResponse<String> response = get("/quotes/logged");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(output.getOut()).contains("Retrying 'quotes': attempt 2/4",
                "Retrying 'quotes': attempt 3/4",
                DownstreamUnavailableException.class.getName()
                        + ": The downstream answered 503");
    }

    @Test
    void theRetriesEndpointShowsEachPolicyWithTheSourceOfEachSetting() throws Exception {
        HttpResponse<String> response = get("/actuator/retries");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"quotes\":[{\"method\":"
                + "\"io.github.retrystarter.sample.quotes.QuoteService.fetch(String)\"",
                "\"attempts\":{\"value\":4,\"source\":\"retry.instances\"}",
                "\"multiplier\":{\"value\":2.0,\"source\":\"retry.defaults\"}",
                "\"ReferenceAction.call\"");
    }

    @Test
    void theMetricsCountTheCallsJustMade() throws Exception {
        assertThat(get("/quotes/metered").statusCode()).isEqualTo(200);

        HttpResponse<String> recovered = get(
                "/actuator/metrics/retry.calls?tag=name:quotes&tag=outcome:recovered");
        HttpResponse<String> attempts = get("/actuator/metrics/retry.attempts?tag=name:quotes");

        assertThat(recovered.statusCode()).isEqualTo(200);
        assertThat(countIn(recovered.body())).isGreaterThanOrEqualTo(1);
        assertThat(countIn(attempts.body())).isGreaterThanOrEqualTo(3);
    }

    private static double countIn(String metricJson) {
        java.util.regex.Matcher count = Pattern.compile(
                "\"statistic\":\"COUNT\",\"value\":([0-9.]+)").matcher(metricJson);
        assertThat(count.find()).as("a COUNT in %s", metricJson).isTrue();
        return Double.parseDouble(count.group(1));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
