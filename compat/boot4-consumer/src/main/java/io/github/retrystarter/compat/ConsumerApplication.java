package io.github.retrystarter.compat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.retrystarter.annotation.Retryable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.resilience.annotation.EnableResilientMethods;

/**
 * A Boot 4 application with both retry annotations on different beans: ours, and Spring
 * Framework 7's, switched on by {@code @EnableResilientMethods}.
 */
@SpringBootApplication
@EnableResilientMethods
public class ConsumerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsumerApplication.class, args);
    }

    @Bean
    OurService ourService() {
        return new OurService();
    }

    @Bean
    SpringService springService() {
        return new SpringService();
    }

    /** Retried by retry-starter. */
    public static class OurService {

        private final AtomicInteger calls = new AtomicInteger();

        @Retryable(attempts = 3, base = 1, max = 1)
        public String sync() {
            throw new IllegalStateException("ours " + calls.incrementAndGet());
        }

        @Retryable(attempts = 3, base = 1, max = 1)
        public CompletableFuture<String> async() {
            int call = calls.incrementAndGet();
            return call % 3 != 0 ? CompletableFuture.failedFuture(new IllegalStateException("no"))
                    : CompletableFuture.completedFuture("ours " + call);
        }

        public int calls() {
            return calls.get();
        }
    }

    /** Retried by Spring Framework 7: maxRetries counts retries, so 2 means 3 calls. */
    public static class SpringService {

        private final AtomicInteger calls = new AtomicInteger();

        @org.springframework.resilience.annotation.Retryable(maxRetries = 2, delay = 1)
        public String sync() {
            throw new IllegalStateException("spring " + calls.incrementAndGet());
        }

        public int calls() {
            return calls.get();
        }
    }
}
