package org.stillpoint.contracts;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ERASURE.md lists every field of every published event with what an erasure does to it: a field added to the
 * contract without its entry there fails here, so the list stays complete and true.
 */
class ErasureListTest {

    private static final Path LIST = Path.of("..", "docs", "ERASURE.md");

    @Test
    void everyFieldOfEveryEventTypeHasItsEntry() throws IOException {
        List<String> lines = Files.readAllLines(LIST);
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (Class<?> type : PublishedTypes.all()) {
            String name = PublishedTypes.typeOf(type);
            String row = lines.stream().filter(l -> l.startsWith("| `" + name + "` |")).findFirst().orElse("");
            List<String> absent = new ArrayList<>();
            for (String field : fields(type, "")) {
                if (!row.contains("`" + field + "`")) {
                    absent.add(field);
                }
            }
            if (!absent.isEmpty()) {
                missing.put(name, absent);
            }
        }
        assertThat(missing).as("fields without an entry in docs/ERASURE.md, \"Every field\"").isEmpty();
    }

    /** The field paths of a contract record: nested contract records by their own fields, values by their name. */
    static List<String> fields(Class<?> type, String prefix) {
        List<String> paths = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            String path = prefix + component.getName();
            Class<?> inner = elementOf(component.getGenericType(), component.getType());
            if (inner.isRecord() && inner.getPackageName().startsWith("org.stillpoint.contracts")
                    && inner.getRecordComponents().length > 1 && inner != Sealed.class) {
                paths.addAll(fields(inner, path + "."));
            } else {
                paths.add(path);
            }
        }
        return paths;
    }

    private static Class<?> elementOf(Type generic, Class<?> raw) {
        if (Collection.class.isAssignableFrom(raw) && generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
            return element;
        }
        return raw;
    }
}
