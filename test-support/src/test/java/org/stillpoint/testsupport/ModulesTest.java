package org.stillpoint.testsupport;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The modules as {@code docs/ARCHITECTURE.md} draws them are the modules the build has, and every dependency a module's
 * code has on another (compile or runtime scope) points to a lower floor of that picture: the picture is held against
 * the poms, so a module added, moved or wired upwards without redrawing the house fails here. (Test-scope dependencies
 * are not arrows of the house: a module's tests may start services of any floor beside them.)
 */
class ModulesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FLOOR = Pattern.compile("^floor (\\d+) +(.*)$");

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
    private static Map<String, Integer> picture() throws Exception {
        String document = Files.readString(ROOT.resolve("docs/ARCHITECTURE.md"));
        String section = document.substring(document.indexOf("## Modules"));
        String drawing = section.substring(section.indexOf("```") + 3);
        drawing = drawing.substring(0, drawing.indexOf("```"));
        Map<String, Integer> floors = new LinkedHashMap<>();
        for (String line : drawing.strip().split("\n")) {
            Matcher matcher = FLOOR.matcher(line.strip());
            assertThat(matcher.matches()).as("a floor line: %s", line).isTrue();
            String names = matcher.group(2).replaceAll("\\(.*?\\)", " ");
            for (String name : names.trim().split(" +")) {
                assertThat(floors.put(name, Integer.parseInt(matcher.group(1)))).as("%s drawn twice", name).isNull();
            }
        }
        return floors;
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
