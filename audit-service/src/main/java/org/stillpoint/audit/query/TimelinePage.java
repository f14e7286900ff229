package org.stillpoint.audit.query;

import java.util.List;

/**
 * One page of a client's timeline, in timeline order. It says whether a page follows, not how many entries match in
 * all: a page costs the page (and one entry more), never a count of a busy client's whole record.
 *
 * @param number  the page, from 0
 * @param hasNext whether entries follow this page
 */
public record TimelinePage(List<AuditEntry> entries, int number, int size, boolean hasNext) {

    public TimelinePage {
        entries = List.copyOf(entries);
    }

    public boolean hasPrevious() {
        return number > 0;
    }

    /** The position of the page's first entry, from 1 (0 on an empty page). */
    public long first() {
        return entries.isEmpty() ? 0 : (long) number * size + 1;
    }

    public long last() {
        return (long) number * size + entries.size();
    }
}
