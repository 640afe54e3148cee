package io.github.retrystarter.compat;

import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.autoconfigure.RetryAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A method carrying both retry annotations is reported: its attempts would multiply. */
@ExtendWith(OutputCaptureExtension.class)
class BothAnnotationsTests {

    @Test
    void aMethodWithBothAnnotationsIsReported(CapturedOutput output) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
                .withBean(Doubled.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).contains("also carry another library's retry annotation")
                            .contains("Doubled.call (org.springframework.resilience"
                                    + ".annotation.Retryable)");
                });
    }

    public static class Doubled {

        @Retryable
        @org.springframework.resilience.annotation.Retryable
        public String call() {
            return "once";
        }
    }
}
