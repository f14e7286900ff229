package org.stillpoint.platform.input;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Text in request bodies is plain text: a string holding a control character other than tab and newline (NUL, a
 * terminal escape sequence, a carriage return, DEL, the C1 controls) is refused as {@code 400} naming its field, before
 * any of it is stored — it could rewrite a terminal that shows a log or an export, or hide text from a reader.
 */
public final class PlainText extends StringDeserializer {

    private PlainText() {
    }

    /** {@code text}, or null when it is null, empty or only white space: an optional field left blank is absent. */
    public static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** The module for the web layer's JSON mapper. */
    public static SimpleModule module() {
        return new SimpleModule("stillpoint-plain-text").addDeserializer(String.class, new PlainText());
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        String text = super.deserialize(parser, context);
        if (text != null) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f)) {
                    throw new IllegalArgumentException(String.format(
                            "contains a control character (U+%04X); only tab and newline are allowed", (int) c));
                }
            }
        }
        return text;
    }
}
