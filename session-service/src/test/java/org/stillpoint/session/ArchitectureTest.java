package org.stillpoint.session;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layering rules of STYLE.md, as tests. */
class ArchitectureTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.stillpoint.session");
    private static final JavaClasses CONTRACTS = new ClassFileImporter().importPackages("org.stillpoint.contracts");

    @Test
    void commandSideKnowsNeitherQueriesNorWeb() {
        noClasses().that().resideInAPackage("..session.command..")
                   .should().dependOnClassesThat().resideInAnyPackage("..session.query..", "..session.web..")
                   .check(SERVICE);
    }

    @Test
    void queriesDoNotReachIntoWeb() {
        noClasses().that().resideInAPackage("..session.query..")
                   .should().dependOnClassesThat().resideInAnyPackage("..session.web..", "..session.command..")
                   .check(SERVICE);
    }

    @Test
    void contractsImportNothingFromSpringAxonOrMongo() {
        noClasses().should().dependOnClassesThat()
                   .resideInAnyPackage("org.springframework..", "org.axonframework..", "org.bson..", "com.mongodb..")
                   .check(CONTRACTS);
    }
}
