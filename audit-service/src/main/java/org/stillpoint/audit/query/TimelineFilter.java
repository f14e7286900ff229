package org.stillpoint.audit.query;

import java.time.Instant;

/**
 * Which of a client's entries to show: by service, kind, actor and the period they happened in; a null field does not
 * filter.
 *
 * @param from from this moment on (inclusive)
 * @param to   before this moment (exclusive)
 */
public record TimelineFilter(String service, String kind, String actor, Instant from, Instant to) {

    public static final TimelineFilter ALL = new TimelineFilter(null, null, null, null, null);

    public TimelineFilter {
        service = blankToNull(service);
        kind = blankToNull(kind);
        actor = blankToNull(actor);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
