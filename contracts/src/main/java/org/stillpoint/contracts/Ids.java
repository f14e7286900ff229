package org.stillpoint.contracts;

import java.util.UUID;
import java.util.regex.Pattern;

/** Parsing rules shared by the typed ids. */
final class Ids {

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Ids() {
    }

    /** UUID.fromString accepts forms like "1-1-1-1-1"; only the canonical 36-character form is an id here. */
    static UUID uuid(String text) {
        if (text == null || !CANONICAL_UUID.matcher(text).matches()) {
            throw new IllegalArgumentException("not a UUID: " + abbreviate(text));
        }
        return UUID.fromString(text);
    }

    static boolean isCode(String text) {
        return text != null && CODE.matcher(text).matches();
    }

    static String code(String text, String what) {
        if (text == null || !CODE.matcher(text).matches()) {
            throw new IllegalArgumentException(what + " must be 1-63 lower-case letters, digits or dashes: " + abbreviate(text));
        }
        return text;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
