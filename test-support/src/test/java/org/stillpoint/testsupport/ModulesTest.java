package org.stillpoint.testsupport;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The modules as {@code docs/ARCHITECTURE.md} draws them are the modules the build has, and every dependency a module's
 * code has on another (compile or runtime scope) points to a lower floor of that picture: the picture is held against
 * the poms, so a module added, moved or wired upwards without redrawing the house fails here. (Test-scope dependencies
 * are not arrows of the house: a module's tests may start services of any floor beside them.)
 */
class ModulesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyModuleIsDrawnOnceAndEveryArrowPointsDown() throws Exception {
        Map<String, Integer> floors = picture();
        List<String> modules = modules();
        assertThat(new TreeSet<>(floors.keySet())).as("the modules drawn in docs/ARCHITECTURE.md")
                                                  .isEqualTo(new TreeSet<>(modules));
        List<String> upwards = new ArrayList<>();
        for (String module : modules) {
            for (String dependency : codeDependencies(module)) {
                if (floors.get(dependency) >= floors.get(module)) {
                    upwards.add(module + " (floor " + floors.get(module) + ") -> " + dependency + " (floor "
                                        + floors.get(dependency) + ")");
                }
            }
        }
        assertThat(upwards).as("dependencies that do not point to a lower floor").isEmpty();
    }

    /** The module picture: each module named on a "floor N" line of the first drawing, with its floor. */
    private static Map<String, Integer> picture() {
        return ArchitectureDrawing.floors(ROOT.resolve("docs/ARCHITECTURE.md"), "## Modules");
    }

    /** The modules of the build, the optional ones of its profiles included. */
    private static List<String> modules() throws Exception {
        NodeList names = pom(ROOT.resolve("pom.xml")).getElementsByTagName("module");
        List<String> modules = new ArrayList<>();
        for (int i = 0; i < names.getLength(); i++) {
            modules.add(names.item(i).getTextContent().strip());
        }
        return modules;
    }

    /** The Stillpoint modules {@code module}'s code depends on: compile and runtime scope. */
    private static List<String> codeDependencies(String module) throws Exception {
        Element project = pom(ROOT.resolve(module).resolve("pom.xml"));
        List<String> dependencies = new ArrayList<>();
        NodeList all = project.getElementsByTagName("dependency");
        for (int i = 0; i < all.getLength(); i++) {
            Element dependency = (Element) all.item(i);
            if (!(dependency.getParentNode().getParentNode() instanceof Element owner) || !owner.getTagName().equals("project")
                    || !"org.stillpoint".equals(text(dependency, "groupId"))) {
                continue;
            }
            String scope = text(dependency, "scope");
            if (scope == null || scope.equals("compile") || scope.equals("runtime")) {
                dependencies.add(text(dependency, "artifactId"));
            }
        }
        return dependencies;
    }

    private static Element pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    private static String text(Element element, String child) {
        NodeList found = element.getElementsByTagName(child);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().strip();
    }
}
