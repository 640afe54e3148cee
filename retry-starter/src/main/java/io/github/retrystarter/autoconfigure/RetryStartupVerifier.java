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
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
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

    private final ObjectProvider<ConfigurableListableBeanFactory> beanFactory;
    private final ObjectProvider<RetryableMethodRegistry> registry;
    private final ObjectProvider<PropertiesRetryPolicyFactory> factory;
    private final ObjectProvider<RetryProperties> properties;

    RetryStartupVerifier(ObjectProvider<ConfigurableListableBeanFactory> beanFactory,
            ObjectProvider<RetryableMethodRegistry> registry,
            ObjectProvider<PropertiesRetryPolicyFactory> factory,
            ObjectProvider<RetryProperties> properties) {
        this.beanFactory = beanFactory;
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
        ConfigurableListableBeanFactory factoryOfBeans = beanFactory.getObject();
        for (String name : factoryOfBeans.getBeanDefinitionNames()) {
            Class<?> type = factoryOfBeans.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> userClass = ClassUtils.getUserClass(type);
            if (seen.add(userClass) && AnnotationUtils.isCandidateClass(userClass,
                    Retryable.class)) {
                verify(methods, userClass, unreachable);
            }
        }
        if (!unreachable.isEmpty()) {
            log.warn("@Retryable has no effect on these methods, which a proxy cannot intercept:"
                    + " {}. Make them public (or protected), non-final and non-static, and call"
                    + " them through the bean.", unreachable);
        }
        reportUnusedInstances(methods);
    }

    private static void verify(RetryableMethodRegistry methods, Class<?> userClass,
            List<String> unreachable) {
        ReflectionUtils.doWithMethods(userClass, method -> {
            String reason = RetryableMethod.unreachableReason(method);
            if (reason != null) {
                if (AnnotatedElementUtils.hasAnnotation(method, Retryable.class)) {
                    unreachable.add(userClass.getName() + "." + method.getName() + " ("
                            + reason + ")");
                }
                return;
            }
            methods.find(method, userClass);
        }, method -> !method.isBridge() && !method.isSynthetic()
                && method.getDeclaringClass() != Object.class);
    }

    private void reportUnusedInstances(RetryableMethodRegistry methods) {
        RetryProperties retryProperties = properties.getIfAvailable();
        if (retryProperties == null) {
            return;
        }
        Set<String> used = new TreeSet<>(methods.names());
        Set<String> unused = new TreeSet<>(retryProperties.getInstances().keySet());
        unused.removeAll(used);
        for (String name : unused) {
            log.warn("retry.instances.{} is configured, but no @Retryable method has the name"
                    + " '{}', so it has no effect. Policy names in use: {}. Check the spelling,"
                    + " or set @Retryable(name = \"{}\") on the method it is meant for.",
                    name, name, used, name);
        }
    }
}
