package org.stillpoint.delivery.command;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where the records of a moment are in an organisation's topics (the broker's index by time). */
public interface Offsets {

    /**
     * For every partition of {@code topics}, the offset of its first record published at or after {@code at}; the end
     * of the partition when there is none.
     */
    Map<Partition, Long> at(List<String> topics, Instant at);

    /** For every partition of {@code topics}: the offset after its last record. */
    Map<Partition, Long> ends(List<String> topics);
}
