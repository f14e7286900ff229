package org.stillpoint.platform.input;

import java.text.Normalizer;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Text in request bodies is plain text, in one spelling: a string holding a control character other than tab and
 * newline (NUL, a terminal escape sequence, a carriage return, DEL, the C1 controls), a bidirectional control (which
 * can make text read in another order than it is stored: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), an
 * invisible separator (U+200B zero-width space, U+2060 word joiner, U+FEFF, U+180E) or half of a surrogate pair is
 * refused as {@code 400} naming its field, before any of it is stored; the rest is normalised to Unicode NFC, so that
 * one name has one spelling whatever keyboard typed it. The zero-width non-joiner and joiner (U+200C, U+200D) are kept:
 * Persian and Indic names and emoji need them.
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
        return checked(super.deserialize(parser, context));
    }

    /** The text in NFC, or why it is refused (an {@link IllegalArgumentException} whose message completes "the field"). */
    public static String checked(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f)) {
                throw new IllegalArgumentException(String.format(
                        "contains a control character (U+%04X); only tab and newline are allowed", (int) c));
            }
            if (c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
                throw new IllegalArgumentException(String.format(
                        "contains a bidirectional control (U+%04X), which makes text read in another order", (int) c));
            }
            if (c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0x180E) {
                throw new IllegalArgumentException(String.format("contains an invisible character (U+%04X)", (int) c));
            }
            if (Character.isHighSurrogate(c) && (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                throw new IllegalArgumentException(String.format(
                        "contains half of a surrogate pair (U+%04X), which is no character", (int) c));
            }
        }
        return Normalizer.normalize(text, Normalizer.Form.NFC);
    }
}
