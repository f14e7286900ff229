package org.stillpoint.platform.command;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.spring.stereotype.Aggregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A Stillpoint aggregate: loaded from the event store through the shared aggregate cache, snapshotted every
 * {@code stillpoint.event-store.snapshot-threshold} events, and its snapshots written from its fields (never its
 * getters).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Aggregate(cache = EventSourced.AGGREGATE_CACHE, snapshotTriggerDefinition = EventSourced.SNAPSHOT_TRIGGER)
@JacksonAnnotationsInside
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public @interface EventSourced {

    /** The bean name of the aggregate cache. */
    String AGGREGATE_CACHE = "stillpointAggregateCache";

    /** The bean name of the snapshot trigger. */
    String SNAPSHOT_TRIGGER = "stillpointSnapshotTrigger";
}
