package io.github.retrystarter.autoconfigure;

import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.retrystarter.annotation.Retryable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code retries} endpoint read over JMX, as an operator's console would. */
class RetriesEndpointJmxTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class,
                    EndpointAutoConfiguration.class,
                    JmxEndpointAutoConfiguration.class, RetryAutoConfiguration.class,
                    RetryEndpointAutoConfiguration.class))
            .withPropertyValues("spring.jmx.enabled=true", "spring.jmx.unique-names=true",
                    "management.endpoints.jmx.exposure.include=retries",
                    "retry.instances.billing.attempts=2")
            .withBean(Billing.class);

    @Test
    void listsThePoliciesOverJmx() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            MBeanServer server = context.getBean(MBeanServer.class);
            ObjectName name = server.queryNames(
                    new ObjectName("org.springframework.boot:type=Endpoint,name=Retries,*"), null)
                    .iterator().next();
            Object result = server.invoke(name, "retries", new Object[0], new String[0]);
            assertThat(result).isInstanceOf(Map.class);
            assertThat(result.toString()).contains("billing", "Billing.charge()",
                    "value=2, source=retry.instances");
        });
    }

    public static class Billing {

        @Retryable(name = "billing")
        public String charge() {
            return "charged";
        }
    }
}
