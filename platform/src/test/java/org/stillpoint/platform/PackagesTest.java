package org.stillpoint.platform;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's packages import each other without a loop, and the ones that hold the published record's rules and
 * the domain's refusals stand on their own: {@code record} (the envelope, its checks, its signatures) and
 * {@code problem} import no other package of the platform; {@code config} is imported by none. A package added or
 * renamed without this test knowing fails it.
 */
class PackagesTest {

    private static final String PLATFORM = "org.stillpoint.platform";
    private final JavaClasses platform = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(PLATFORM);

    @Test
    void thePackagesAreTheOnesThisTestKnows() {
        Set<String> present = new TreeSet<>();
        platform.forEach(type -> {
            String rest = type.getPackageName().substring(PLATFORM.length());
            if (rest.startsWith(".")) {
                rest = rest.substring(1);
                present.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
            }
        });
        assertThat(present).containsExactlyInAnyOrder("access", "axon", "cluster", "command", "config", "consent",
                                                      "crypto", "deadletter", "erasure", "eventstore", "health",
                                                      "idempotency", "input", "metrics", "observability", "problem",
                                                      "publication", "record", "web");
    }

    @Test
    void noPackageImportsItselfThroughOthers() {
        slices().matching(PLATFORM + ".(*)..").should().beFreeOfCycles().check(platform);
    }

    @Test
    void theRecordAndTheRefusalsStandOnTheirOwnAndNothingImportsTheWiring() {
        noClasses().that().resideInAnyPackage(PLATFORM + ".record..", PLATFORM + ".problem..")
                   .should().dependOnClassesThat().resideInAnyPackage(others(PLATFORM + ".record", PLATFORM + ".problem"))
                   .check(platform);
        noClasses().that().resideOutsideOfPackage(PLATFORM + ".config..")
                   .should().dependOnClassesThat().resideInAPackage(PLATFORM + ".config..")
                   .check(platform);
    }

    /** Every platform package but {@code except}. */
    private static String[] others(String... except) {
        return new TreeSet<>(Set.of("access", "axon", "cluster", "command", "config", "consent", "crypto", "deadletter",
                                    "erasure", "eventstore", "health", "idempotency", "input", "metrics",
                                    "observability", "publication", "web", "record", "problem")).stream()
                .map(p -> PLATFORM + "." + p + "..")
                .filter(p -> Set.of(except).stream().noneMatch(e -> p.startsWith(e + ".")))
                .toArray(String[]::new);
    }
}
