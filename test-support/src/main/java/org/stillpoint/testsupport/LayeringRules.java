package org.stillpoint.testsupport;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layering rules of STYLE.md for a service, checked the same way in every service. */
public final class LayeringRules {

    private LayeringRules() {
    }

    /** {@code command} imports neither {@code query} nor {@code web}; {@code query} imports neither {@code web} nor {@code command}. */
    public static void check(String servicePackage) {
        JavaClasses service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                                                     .importPackages(servicePackage);
        noClasses().that().resideInAPackage(servicePackage + ".command..")
                   .should().dependOnClassesThat().resideInAnyPackage(servicePackage + ".query..",
                                                                      servicePackage + ".web..")
                   .check(service);
        noClasses().that().resideInAPackage(servicePackage + ".query..")
                   .should().dependOnClassesThat().resideInAnyPackage(servicePackage + ".web..",
                                                                      servicePackage + ".command..")
                   .check(service);
    }

    /** The published language imports nothing from Spring, Axon or MongoDB. */
    public static void checkContracts() {
        noClasses().should().dependOnClassesThat()
                   .resideInAnyPackage("org.springframework..", "org.axonframework..", "org.bson..", "com.mongodb..")
                   .check(new ClassFileImporter().importPackages("org.stillpoint.contracts"));
    }
}
