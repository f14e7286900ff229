package org.stillpoint.audit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering of the audit, which has no command side: {@code ingest} (from the topics) writes the read models,
 * {@code query} reads them and knows neither {@code ingest} nor {@code web}; {@code ingest} knows no {@code web}.
 */
class ArchitectureTest {

    private final JavaClasses audit = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                                                             .importPackages("org.stillpoint.audit");

    @Test
    void queriesKnowNeitherIngestNorWeb() {
        noClasses().that().resideInAPackage("org.stillpoint.audit.query..")
                   .should().dependOnClassesThat().resideInAnyPackage("org.stillpoint.audit.ingest..",
                                                                      "org.stillpoint.audit.web..")
                   .check(audit);
    }

    @Test
    void ingestKnowsNoWeb() {
        noClasses().that().resideInAPackage("org.stillpoint.audit.ingest..")
                   .should().dependOnClassesThat().resideInAPackage("org.stillpoint.audit.web..")
                   .check(audit);
    }
}
