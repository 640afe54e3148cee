package io.github.retrystarter.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.github.retrystarter.core.Setting;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Finds {@code retry.*} keys that the binder silently ignores: a misspelt setting
 * ({@code retry.instances.x.attemps}), a misspelt section ({@code retry.defualts.base}), and a
 * policy name with a dot written without brackets ({@code retry.instances.Foo.bar.base}).
 */
final class RetryPropertyKeys {

    private static final ConfigurationPropertyName RETRY = ConfigurationPropertyName.of("retry");

    /** Setting paths below a defaults or instance section, e.g. {@code budget.ratio}. */
    private static final Set<String> SETTINGS = Arrays.stream(Setting.values())
            .map(Setting::property).collect(Collectors.toCollection(TreeSet::new));

    private static final Set<String> SECTIONS = Set.of("enabled", "order", "defaults",
            "instances");

    private RetryPropertyKeys() {
    }

    /**
     * One warning per ignored key.
     *
     * @param boundInstances the names the binder put under {@code retry.instances}
     * @param usedNames the policy names that methods use
     */
    static List<String> ignoredKeys(Environment environment, Set<String> boundInstances,
            Collection<String> usedNames) {
        Set<ConfigurationPropertyName> names = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.filter(RETRY::isAncestorOf).forEach(names::add);
            }
        }
        List<String> warnings = new ArrayList<>();
        for (ConfigurationPropertyName name : names) {
            String warning = check(name, boundInstances, usedNames);
            if (warning != null) {
                warnings.add(warning);
            }
        }
        return warnings;
    }

    private static String check(ConfigurationPropertyName name, Set<String> boundInstances,
            Collection<String> usedNames) {
        List<String> elements = elements(name);
        String section = elements.get(1);
        if (!SECTIONS.contains(section)) {
            return name + " is not a retry setting and is ignored: below retry. there are only "
                    + SECTIONS + ".";
        }
        if (section.equals("defaults") && !SETTINGS.contains(join(elements, 2))) {
            return unknownSetting(name, join(elements, 2));
        }
        if (!section.equals("instances") || elements.size() < 4) {
            return null;
        }
        String key = elements.get(2);
        String setting = join(elements, 3);
        if (boundInstances.contains(key)) {
            return SETTINGS.contains(setting) ? null : unknownSetting(name, setting);
        }
        for (int split = 4; split < elements.size(); split++) {
            if (SETTINGS.contains(join(elements, split))) {
                String written = String.join(".", elements.subList(2, split));
                String meant = usedNames.stream().filter(used -> used.equalsIgnoreCase(written))
                        .findFirst().orElse(written);
                return name + " was not applied: a policy name that contains a dot (the default"
                        + " names SimpleClassName.method do) must be written in brackets,"
                        + " retry.instances[" + meant + "]." + join(elements, split)
                        + " in properties or \"[" + meant + "]\": in YAML. Policy names in use: "
                        + new TreeSet<>(usedNames) + ".";
            }
        }
        return unknownSetting(name, setting);
    }

    private static String unknownSetting(ConfigurationPropertyName name, String setting) {
        return name + " is ignored: '" + setting + "' is not a retry setting. The settings are "
                + SETTINGS + ".";
    }

    /** The elements in their original form, without list indexes such as {@code [0]}. */
    private static List<String> elements(ConfigurationPropertyName name) {
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            if (!name.isNumericIndex(i)) {
                elements.add(name.getElement(i, Form.ORIGINAL));
            }
        }
        return elements;
    }

    private static String join(List<String> elements, int from) {
        return String.join(".", elements.subList(Math.min(from, elements.size()),
                elements.size())).toLowerCase(java.util.Locale.ROOT);
    }
}
