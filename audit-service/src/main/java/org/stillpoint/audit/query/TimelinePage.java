package org.stillpoint.audit.query;

import java.util.List;

/**
 * One page of a client's timeline, in timeline order.
 *
 * @param number the page, from 0
 * @param total  how many entries the filter matches in all
 */
public record TimelinePage(List<AuditEntry> entries, int number, int size, long total) {

    public TimelinePage {
        entries = List.copyOf(entries);
    }

    public long pages() {
        return Math.max(1, (total + size - 1) / size);
    }

    public boolean hasPrevious() {
        return number > 0;
    }

    public boolean hasNext() {
        return (long) (number + 1) * size < total;
    }
}
