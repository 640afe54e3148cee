package io.github.retrystarter.autoconfigure;

import java.lang.reflect.Proxy;
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

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
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
            Class<?> userClass = targetClass(factoryOfBeans, name);
            if (userClass == null || Proxy.isProxyClass(userClass)) {
                continue;
            }
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
        Environment env = environment.getIfAvailable();
        if (env != null) {
            RetryPropertyKeys.ignoredKeys(env, retryProperties.getInstances().keySet(), used)
                    .forEach(log::warn);
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
     * The class whose methods a bean's calls reach: through a JDK proxy (whose type names no
     * method of the bean) to its target, when the bean already exists.
     */
    private static Class<?> targetClass(ConfigurableListableBeanFactory factory, String name) {
        Class<?> type = factory.getType(name, false);
        if (type != null && Proxy.isProxyClass(type) && factory.containsSingleton(name)) {
            Object bean = factory.getSingleton(name);
            if (bean != null && !(bean instanceof FactoryBean)) {
                return AopProxyUtils.ultimateTargetClass(bean);
            }
        }
        return type == null ? null : ClassUtils.getUserClass(type);
    }
}
