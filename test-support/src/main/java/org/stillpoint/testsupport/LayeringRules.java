package org.stillpoint.testsupport;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering rules of STYLE.md for a service, checked the same way in every service. A service has some of these
 * packages: {@code command} (aggregates and their commands), {@code ingest} (what the audit reads from the topics),
 * {@code query} (read models), {@code web} (HTTP), {@code config} (wiring and settings), and the audit's {@code ledger}.
 */
public final class LayeringRules {

    private LayeringRules() {
    }

    /**
     * {@code command} imports none of {@code query}, {@code web}, {@code ingest} or {@code config}; {@code query} none of
     * {@code web}, {@code command} or {@code ingest}; {@code ingest} no {@code web}; {@code web} no {@code ingest} (it
     * reads what ingest wrote through {@code query}); {@code ledger} none of {@code web}, {@code ingest} or
     * {@code command}.
     */
    public static void check(String servicePackage) {
        JavaClasses service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                                                     .importPackages(servicePackage);
        forbid(service, servicePackage, "command", "query", "web", "ingest", "config");
        forbid(service, servicePackage, "query", "web", "command", "ingest");
        forbid(service, servicePackage, "ingest", "web");
        forbid(service, servicePackage, "web", "ingest");
        forbid(service, servicePackage, "ledger", "web", "ingest", "command");
    }

    private static void forbid(JavaClasses service, String servicePackage, String layer, String... notImported) {
        String[] packages = new String[notImported.length];
        for (int i = 0; i < notImported.length; i++) {
            packages[i] = servicePackage + "." + notImported[i] + "..";
        }
        noClasses().that().resideInAPackage(servicePackage + "." + layer + "..")
                   .should().dependOnClassesThat().resideInAnyPackage(packages)
                   .allowEmptyShould(true)
                   .check(service);
    }
}
