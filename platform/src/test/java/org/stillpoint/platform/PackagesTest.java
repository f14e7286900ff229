package org.stillpoint.platform;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.ArchitectureDrawing;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's packages are the ones {@code docs/ARCHITECTURE.md} draws, on its floors, and every import between them
 * points to a lower floor — so {@code record} and {@code problem} (floor 1) import no other package, {@code config}
 * (the top floor, alone) is imported by none, and no two packages import each other around a loop. A package added,
 * renamed or wired upwards without redrawing the picture fails here.
 */
class PackagesTest {

    private static final String PLATFORM = "org.stillpoint.platform";
    private final JavaClasses platform = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(PLATFORM);

    @Test
    void thePackagesAreTheOnesDrawn() {
        Set<String> present = new TreeSet<>();
        platform.forEach(type -> packageOf(type.getPackageName()).ifPresent(present::add));
        assertThat(present).isEqualTo(new TreeSet<>(floors().keySet()));
    }

    @Test
    void everyImportPointsToALowerFloor() {
        Map<String, Integer> floors = floors();
        Set<String> upwards = new TreeSet<>();
        for (JavaClass type : platform) {
            String from = packageOf(type.getPackageName()).orElse(null);
            if (from == null) {
                continue;
            }
            type.getDirectDependenciesFromSelf().forEach(dependency -> {
                String to = packageOf(dependency.getTargetClass().getPackageName()).orElse(null);
                if (to != null && !to.equals(from) && floors.get(to) >= floors.get(from)) {
                    upwards.add(from + " (floor " + floors.get(from) + ") -> " + to + " (floor " + floors.get(to)
                                        + "): " + dependency.getDescription());
                }
            });
        }
        assertThat(upwards).as("imports that do not point to a lower floor").isEmpty();
    }

    @Test
    void noPackageImportsItselfThroughOthers() {
        slices().matching(PLATFORM + ".(*)..").should().beFreeOfCycles().check(platform);
    }

    /** The platform's package (its first segment below {@code org.stillpoint.platform}) of a Java package. */
    private static java.util.Optional<String> packageOf(String javaPackage) {
        if (!javaPackage.startsWith(PLATFORM + ".")) {
            return java.util.Optional.empty();
        }
        String rest = javaPackage.substring(PLATFORM.length() + 1);
        return java.util.Optional.of(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
    }

    /** The drawing under "Inside `platform`": each package on a "floor N" line, with its floor. */
    private static Map<String, Integer> floors() {
        return ArchitectureDrawing.floors(Path.of("..", "docs", "ARCHITECTURE.md"), "## Inside `platform`");
    }
}
