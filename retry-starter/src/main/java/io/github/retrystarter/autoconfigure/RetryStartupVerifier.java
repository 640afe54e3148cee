package io.github.retrystarter.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.github.retrystarter.annotation.Retryable;
import io.github.retrystarter.aop.RetryableMethod;
import io.github.retrystarter.aop.RetryableMethodRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks every {@code @Retryable} method of every bean once the singletons exist: resolves its
 * policy (a bad value stops the start, naming the property or method), warns about annotated
 * methods that a proxy cannot reach, and warns about {@code retry.instances} names that no
 * method uses. Lazy beans are checked too, from their types, without being created.
 */
public final class RetryStartupVerifier implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(RetryStartupVerifier.class);

    /** Retry annotations of other libraries that would retry the same method again. */
    private static final List<String> OTHER_RETRYABLES = List.of(
            "org.springframework.resilience.annotation.Retryable",
            "org.springframework.retry.annotation.Retryable");

    private static final ConfigurationPropertyName INSTANCES =
            ConfigurationPropertyName.of("retry.instances");

    private final ObjectProvider<ConfigurableListableBeanFactory> beanFactory;
    private final ObjectProvider<RetryableMethodRegistry> registry;
    private final ObjectProvider<PropertiesRetryPolicyFactory> factory;
    private final ObjectProvider<RetryProperties> properties;
    private final ObjectProvider<Environment> environment;

    RetryStartupVerifier(ObjectProvider<ConfigurableListableBeanFactory> beanFactory,
            ObjectProvider<RetryableMethodRegistry> registry,
            ObjectProvider<PropertiesRetryPolicyFactory> factory,
            ObjectProvider<RetryProperties> properties, ObjectProvider<Environment> environment) {
        this.beanFactory = beanFactory;
        this.environment = environment;
        this.registry = registry;
        this.factory = factory;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        PropertiesRetryPolicyFactory policyFactory = factory.getIfAvailable();
        if (policyFactory != null) {
            policyFactory.validateProperties();
        }
        RetryableMethodRegistry methods = registry.getObject();
        Set<Class<?>> seen = new LinkedHashSet<>();
        List<String> unreachable = new ArrayList<>();
        List<String> doubled = new ArrayList<>();
        ConfigurableListableBeanFactory factoryOfBeans = beanFactory.getObject();
        for (String name : factoryOfBeans.getBeanDefinitionNames()) {
            Class<?> type = factoryOfBeans.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> userClass = ClassUtils.getUserClass(type);
            if (seen.add(userClass) && AnnotationUtils.isCandidateClass(userClass,
                    Retryable.class)) {
                verify(methods, userClass, unreachable, doubled);
            }
        }
        if (!unreachable.isEmpty()) {
            log.warn("@Retryable has no effect on these methods, which a proxy cannot intercept:"
                    + " {}. Make them public (or protected), non-final and non-static, and call"
                    + " them through the bean.", unreachable);
        }
        if (!doubled.isEmpty()) {
            log.warn("These methods also carry another library's retry annotation, so both"
                    + " retry them and the attempts multiply: {}. Keep one of the two.", doubled);
        }
        reportUnusedInstances(methods);
    }

    private static void verify(RetryableMethodRegistry methods, Class<?> userClass,
            List<String> unreachable, List<String> doubled) {
        ReflectionUtils.doWithMethods(userClass, method -> {
            String reason = RetryableMethod.unreachableReason(method);
            if (reason != null) {
                if (AnnotatedElementUtils.hasAnnotation(method, Retryable.class)) {
                    unreachable.add(userClass.getName() + "." + method.getName() + " ("
                            + reason + ")");
                }
                return;
            }
            if (methods.find(method, userClass) != null) {
                for (String other : OTHER_RETRYABLES) {
                    if (MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY)
                            .isPresent(other)) {
                        doubled.add(userClass.getName() + "." + method.getName() + " (" + other
                                + ")");
                    }
                }
            }
        }, method -> !method.isBridge() && !method.isSynthetic()
                && method.getDeclaringClass() != Object.class);
    }

    private void reportUnusedInstances(RetryableMethodRegistry methods) {
        RetryProperties retryProperties = properties.getIfAvailable();
        if (retryProperties == null) {
            return;
        }
        Set<String> used = new TreeSet<>(methods.names());
        for (ConfigurationPropertyName key : unboundInstanceKeys(retryProperties)) {
            String name = nameOf(key, used);
            log.warn("{} was not applied: a policy name that contains a dot (the default names"
                    + " SimpleClassName.method do) must be written in brackets,"
                    + " retry.instances[{}].<setting> in properties or \"[{}]\": in YAML."
                    + " Policy names in use: {}.", key, name, name, used);
        }
        Set<String> unused = new TreeSet<>(retryProperties.getInstances().keySet());
        unused.removeAll(used);
        for (String name : unused) {
            log.warn("retry.instances.{} is configured, but no @Retryable method has the name"
                    + " '{}', so it has no effect. Policy names in use: {}. Check the spelling,"
                    + " or set @Retryable(name = \"{}\") on the method it is meant for.",
                    name, name, used, name);
        }
    }

    /**
     * Property keys under {@code retry.instances} that the binder dropped: without brackets,
     * {@code retry.instances.Foo.bar.base} is read as instance {@code Foo} with an unknown
     * setting {@code bar.base}, and silently ignored.
     */
    private Set<ConfigurationPropertyName> unboundInstanceKeys(RetryProperties retryProperties) {
        Set<ConfigurationPropertyName> dropped = new TreeSet<>();
        Environment env = environment.getIfAvailable();
        if (env == null) {
            return dropped;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(env)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.filter(INSTANCES::isAncestorOf).forEach(name -> {
                if (name.getNumberOfElements() > INSTANCES.getNumberOfElements() + 2) {
                    String key = name.getElement(INSTANCES.getNumberOfElements(),
                            ConfigurationPropertyName.Form.ORIGINAL);
                    if (!retryProperties.getInstances().containsKey(key)) {
                        dropped.add(name);
                    }
                }
            });
        }
        return dropped;
    }

    /**
     * The policy name meant by {@code retry.instances.Foo.bar.base}: the name in use that
     * matches {@code Foo.bar} ignoring case (the binder lower-cases keys), else
     * {@code Foo.bar} as written.
     */
    private static String nameOf(ConfigurationPropertyName key, Set<String> used) {
        StringBuilder written = new StringBuilder();
        for (int i = INSTANCES.getNumberOfElements(); i < key.getNumberOfElements() - 1; i++) {
            written.append(written.isEmpty() ? "" : ".")
                    .append(key.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
        }
        return used.stream().filter(name -> name.equalsIgnoreCase(written.toString()))
                .findFirst().orElse(written.toString());
    }
}
