package io.github.retrystarter.compat;

import java.time.Duration;

import io.github.retrystarter.compat.ConsumerApplication.OurService;
import io.github.retrystarter.compat.ConsumerApplication.SpringService;
import io.github.retrystarter.core.Retrier;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The starter jar of the Boot 3.5 build, unchanged, in a Boot 4 application. */
@SpringBootTest
class ConsumerApplicationTests {

    @Autowired
    private OurService ours;

    @Autowired
    private SpringService spring;

    @Autowired
    private Retrier retrier;

    @Test
    void runsOnSpringBoot4() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.");
        assertThat(retrier.isClosed()).isFalse();
    }

    @Test
    void ourAnnotationRetriesSynchronousAndAsynchronousMethods() {
        int before = ours.calls();
        assertThatThrownBy(ours::sync).hasMessage("ours " + (before + 3));
        assertThat(ours.async()).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void springsAnnotationIsHandledByItsOwnMachineryOnceOnly() {
        assertThatThrownBy(spring::sync).hasMessage("spring 3");
        assertThat(spring.calls()).isEqualTo(3);
    }
}
