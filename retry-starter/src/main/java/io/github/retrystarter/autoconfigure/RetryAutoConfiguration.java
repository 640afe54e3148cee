package io.github.retrystarter.autoconfigure;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import io.github.retrystarter.aop.RetryAdvisor;
import io.github.retrystarter.aop.RetryInterceptor;
import io.github.retrystarter.aop.RetryableMethodRegistry;
import io.github.retrystarter.core.ContextPropagation;
import io.github.retrystarter.core.ExecutorRetryScheduler;
import io.github.retrystarter.core.Retrier;
import io.github.retrystarter.core.RetryListener;
import io.github.retrystarter.core.RetryScheduler;
import io.github.retrystarter.core.Sleeper;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AllNestedConditions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnJava;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.system.JavaVersion;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configuration of {@code @Retryable}: the retry advisor, the {@link Retrier} with its
 * timer and executor, and the start-up checks. Every bean backs off when the application
 * defines its own; {@code retry.enabled=false} switches it all off.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "retry", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(RetryProperties.class)
@Import({RetryAutoConfiguration.AutoProxyRegistrar.class,
        RetryAutoConfiguration.VirtualThreadsExecutor.class,
        RetryAutoConfiguration.PlatformThreadsExecutor.class})
public final class RetryAutoConfiguration {

    /** The bean name of the executor that runs asynchronous retries. */
    public static final String EXECUTOR_BEAN_NAME = "retryExecutor";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RetryScheduler retryScheduler() {
        return new ExecutorRetryScheduler("retry-timer");
    }


    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Retrier retrier(RetryScheduler retryScheduler,
            @Qualifier(EXECUTOR_BEAN_NAME) Executor retryExecutor,
            ObjectProvider<Sleeper> sleeper, ObjectProvider<RetryListener> listeners,
            ObjectProvider<ContextPropagation> contextPropagation) {
        Retrier.Builder builder = Retrier.builder().scheduler(retryScheduler)
                .executor(retryExecutor).listeners(listeners.orderedStream().toList());
        sleeper.ifAvailable(builder::sleeper);
        contextPropagation.ifAvailable(builder::contextPropagation);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    PropertiesRetryPolicyFactory retryPolicyFactory(RetryProperties properties,
            ConfigurableListableBeanFactory beanFactory) {
        return new PropertiesRetryPolicyFactory(properties, beanFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    RetryableMethodRegistry retryableMethodRegistry(PropertiesRetryPolicyFactory factory) {
        return new RetryableMethodRegistry(factory);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static RetryAdvisor retryAdvisor(ObjectProvider<Retrier> retrier,
            ObjectProvider<RetryableMethodRegistry> registry, Environment environment) {
        RetryAdvisor advisor = new RetryAdvisor(
                new RetryInterceptor(retrier::getObject, registry::getObject));
        advisor.setOrder(environment.getProperty("retry.order", Integer.class,
                RetryAdvisor.DEFAULT_ORDER));
        return advisor;
    }

    @Bean
    static RetryStartupVerifier retryStartupVerifier(
            ObjectProvider<ConfigurableListableBeanFactory> beanFactory,
            ObjectProvider<RetryableMethodRegistry> registry,
            ObjectProvider<PropertiesRetryPolicyFactory> factory,
            ObjectProvider<RetryProperties> properties, ObjectProvider<Environment> environment) {
        return new RetryStartupVerifier(beanFactory, registry, factory, properties, environment);
    }

    /**
     * With {@code spring.threads.virtual.enabled=true} on Java 21 or later, each retry runs on
     * a virtual thread of its own, named {@code retry-N}.
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional(VirtualThreadsCondition.class)
    static final class VirtualThreadsExecutor {

        @Bean(name = EXECUTOR_BEAN_NAME, destroyMethod = "close")
        @ConditionalOnMissingBean(name = EXECUTOR_BEAN_NAME)
        SimpleAsyncTaskExecutor retryExecutor() {
            SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("retry-");
            executor.setVirtualThreads(true);
            return executor;
        }
    }

    /** Otherwise a small pool of daemon platform threads, see {@link Retrier#newDefaultExecutor()}. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(PlatformThreadsCondition.class)
    static final class PlatformThreadsExecutor {

        @Bean(name = EXECUTOR_BEAN_NAME, destroyMethod = "shutdownNow")
        @ConditionalOnMissingBean(name = EXECUTOR_BEAN_NAME)
        ExecutorService retryExecutor() {
            return Retrier.newDefaultExecutor();
        }
    }

    /** Virtual threads are asked for and available. */
    static final class VirtualThreadsCondition extends AllNestedConditions {

        VirtualThreadsCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnJava(JavaVersion.TWENTY_ONE)
        static final class OnJava21 {
        }

        @ConditionalOnProperty(name = "spring.threads.virtual.enabled", havingValue = "true")
        static final class Enabled {
        }
    }

    /** The opposite of {@link VirtualThreadsCondition}. */
    static final class PlatformThreadsCondition extends NoneNestedConditions {

        PlatformThreadsCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @Conditional(VirtualThreadsCondition.class)
        static final class Virtual {
        }
    }

    /**
     * Makes sure an auto-proxy creator exists, as {@code @EnableTransactionManagement} does,
     * so that retries work even where Spring Boot's AOP auto-configuration is switched off.
     * Class-based proxies are used unless {@code spring.aop.proxy-target-class=false}, as in
     * Spring Boot.
     */
    static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar,
            EnvironmentAware {

        private Environment environment;

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata,
                BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
            if (environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true)) {
                AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
            }
        }
    }
}
