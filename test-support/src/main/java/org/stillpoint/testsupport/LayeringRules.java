package org.stillpoint.testsupport;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering rules of STYLE.md for a service, checked the same way in every service. A service has some of these
 * packages: {@code command} (aggregates and their commands), {@code ingest} (what the audit reads from the topics),
 * {@code query} (read models), {@code web} (HTTP), {@code config} (wiring and settings), and the audit's {@code ledger}.
 * A service names the packages it has; a package renamed or added without the rules knowing fails the check, so no
 * rule passes because the package it guards is gone.
 */
public final class LayeringRules {

    private LayeringRules() {
    }

    /**
     * {@code command} imports none of {@code query}, {@code web}, {@code ingest} or {@code config}; {@code query} none of
     * {@code web}, {@code command} or {@code ingest}; {@code ingest} no {@code web}; {@code web} no {@code ingest} (it
     * reads what ingest wrote through {@code query}); {@code ledger} none of {@code web}, {@code ingest} or
     * {@code command}.
     *
     * @param packages the service's packages directly under {@code servicePackage}: exactly these must exist
     */
    public static void check(String servicePackage, String... packages) {
        JavaClasses service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                                                     .importPackages(servicePackage);
        Set<String> present = new TreeSet<>();
        for (JavaClass type : service) {
            String name = type.getPackageName();
            if (name.startsWith(servicePackage + ".")) {
                String rest = name.substring(servicePackage.length() + 1);
                present.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
            }
        }
        assertThat(present).as("the packages of " + servicePackage + " the layering rules know")
                           .containsExactlyInAnyOrderElementsOf(Set.of(packages));
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
