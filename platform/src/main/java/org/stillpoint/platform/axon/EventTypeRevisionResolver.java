package org.stillpoint.platform.axon;

import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.RevisionResolver;
import org.stillpoint.contracts.EventType;

/** Takes an event's stored revision from its contract's {@link EventType}, and Axon's {@code @Revision} otherwise. */
public final class EventTypeRevisionResolver implements RevisionResolver {

    private final RevisionResolver fallback = new AnnotationRevisionResolver();

    @Override
    public String revisionOf(Class<?> payloadType) {
        EventType type = payloadType.getAnnotation(EventType.class);
        return type == null ? fallback.revisionOf(payloadType) : Integer.toString(type.revision());
    }
}
