package io.github.retrystarter.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A runnable application that shows retry-starter at work.
 *
 * <p>On start-up it replays the reference program (see {@code reference}); then it serves
 * {@code GET /quotes/{id}}, whose service calls a deliberately flaky downstream in the same
 * application over loopback HTTP through a {@code @Retryable} method (see {@code quotes} and
 * {@code downstream}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    /**
     * Starts the application.
     *
     * @param args the command-line arguments, passed on to Spring Boot
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
