package org.stillpoint.contracts;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The published language depends on nothing but the JDK and Jackson's annotations (STYLE.md). */
class ArchitectureTest {

    @Test
    void contractsImportNothingFromSpringAxonMongoOrTheServices() {
        noClasses().should().dependOnClassesThat()
                   .resideInAnyPackage("org.springframework..", "org.axonframework..", "org.bson..", "com.mongodb..",
                                       "org.apache.kafka..", "tools.jackson..", "com.fasterxml.jackson.databind..",
                                       "org.stillpoint.platform..", "org.stillpoint.security..")
                   .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                                                 .importPackages("org.stillpoint.contracts"));
    }
}
