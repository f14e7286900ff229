package org.stillpoint.audit.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a client's timeline holds, kept beside their placement so that the console's lists and filter choices are one
 * point lookup, never a count or a distinct over a busy client's entries. Grown with {@code $max} and
 * {@code $addToSet}, so a repeated or late update never takes it back.
 *
 * @param count    how many entries: the next entry's position
 * @param kinds    the same for each kind of entry
 * @param services the services the entries came from
 * @param actors   who acted, in any entry
 * @param last     the latest recorded time of any entry
 */
public record TimelineHead(long count, Map<String, Long> kinds, List<String> services, List<String> actors,
                           Instant last) {

    public static final TimelineHead EMPTY = new TimelineHead(0, Map.of(), List.of(), List.of(), null);

    public TimelineHead {
        kinds = kinds == null ? Map.of() : Map.copyOf(kinds);
        services = services == null ? List.of() : List.copyOf(services);
        actors = actors == null ? List.of() : List.copyOf(actors);
    }

    public long count(String kind) {
        return kinds.getOrDefault(kind, 0L);
    }
}
