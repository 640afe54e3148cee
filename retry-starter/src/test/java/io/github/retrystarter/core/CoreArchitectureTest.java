package io.github.retrystarter.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The core is usable on its own: it must not need Spring on the class path. */
class CoreArchitectureTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.retrystarter.core");

    @Test
    void coreImportsNoSpringClass() {
        assertThat(core).as("core classes found").isNotEmpty();

        noClasses().that().resideInAPackage("io.github.retrystarter.core..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .because("the core is usable without Spring")
                .check(core);
    }

    @Test
    void coreDoesNotReachIntoTheSpringFacingLayers() {
        noClasses().that().resideInAPackage("io.github.retrystarter.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.github.retrystarter.aop..", "io.github.retrystarter.autoconfigure..",
                        "io.github.retrystarter.annotation..")
                .because("the layers above depend on the core, never the other way round")
                .check(core);
    }
}
