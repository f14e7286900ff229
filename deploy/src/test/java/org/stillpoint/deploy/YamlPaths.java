package org.stillpoint.deploy;

import java.util.Map;

/** Reads a value at a path of keys in parsed YAML (maps in maps); null when a step is missing. */
final class YamlPaths {

    private YamlPaths() {
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Map<String, ?> object, String... path) {
        Object current = object;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return (T) current;
    }
}
