package org.stillpoint.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A drawing of {@code docs/ARCHITECTURE.md}, read as the tests that hold it need it: the first code block under a
 * heading, each of its lines {@code floor N  name name (a comment)}, as each name's floor.
 */
public final class ArchitectureDrawing {

    private static final Pattern FLOOR = Pattern.compile("^floor (\\d+) +(.*)$");

    private ArchitectureDrawing() {
    }

    /**
     * @param document the architecture document
     * @param heading  the start of the heading the drawing is under, such as {@code "## Modules"}
     * @return each name drawn, with its floor, in the order drawn
     * @throws IllegalStateException when a line is not a floor line or a name is drawn twice
     */
    public static Map<String, Integer> floors(Path document, String heading) {
        String text;
        try {
            text = Files.readString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int at = text.indexOf(heading);
        if (at < 0) {
            throw new IllegalStateException(document + " has no heading " + heading);
        }
        String section = text.substring(at);
        String drawing = section.substring(section.indexOf("```") + 3);
        drawing = drawing.substring(0, drawing.indexOf("```"));
        Map<String, Integer> floors = new LinkedHashMap<>();
        for (String line : drawing.strip().split("\n")) {
            Matcher matcher = FLOOR.matcher(line.strip());
            if (!matcher.matches()) {
                throw new IllegalStateException("not a floor line under " + heading + ": " + line);
            }
            for (String name : matcher.group(2).replaceAll("\\(.*?\\)", " ").trim().split(" +")) {
                if (floors.put(name, Integer.parseInt(matcher.group(1))) != null) {
                    throw new IllegalStateException(name + " is drawn twice under " + heading);
                }
            }
        }
        return floors;
    }
}
