package org.stillpoint.audit.query;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the audit says a moment and a code wherever it says them — timeline summaries, the access log, the console: a
 * moment to the second with its zone named, a code as words.
 */
public final class Plain {

    /** The zone of a moment written down at ingest, before any organisation's zone is known. */
    public static final ZoneId UTC = ZoneId.of("UTC");

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz", Locale.ENGLISH);

    private Plain() {
    }

    /** {@code 2026-12-03T14:05:00.123456Z} in Europe/London → "2026-12-03 14:05:00 GMT". */
    public static String moment(Instant instant, ZoneId zone) {
        return MOMENT.format(instant.atZone(zone));
    }

    /** The day of a moment in a zone, as a person writes it: "3 December 2026". */
    public static String day(Instant instant, ZoneId zone) {
        return DAY.format(instant.atZone(zone));
    }

    /** An event type in words: {@code stillpoint.session.note-signed.v1} is "session note signed". */
    public static String eventType(String ceType) {
        String[] parts = ceType == null ? new String[0] : ceType.split("\\.");
        return parts.length < 3 ? String.valueOf(ceType) : (parts[1] + " " + parts[2]).replace('-', ' ');
    }

    /**
     * {@code CRANIOSACRAL_THERAPY} → "craniosacral therapy", and an event type as {@link #eventType} says it; null
     * stays null.
     */
    public static String code(Object value) {
        if (value instanceof String text && text.startsWith("stillpoint.")) {
            return eventType(text);
        }
        return value == null ? null : value.toString().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
