package org.stillpoint.platform.publication;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.SignedContent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes as {@code ce_} headers, data as the value. */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    /** Extension: the aggregate's sequence number, so consumers can check per-aggregate completeness. */
    public static final String SEQUENCE = "ce_sequence";
    /** The W3C trace context of the request that stored the event (not a CloudEvents attribute; tracing only). */
    public static final String TRACEPARENT = "traceparent";
    /** Extension: the aggregate the event belongs to. */
    public static final String AGGREGATE = "ce_aggregateid";
    /** Extension: the producing service's detached JWS over the record ({@link SignedContent}). */
    public static final String SIGNATURE = SignedContent.HEADER;

    private CloudEventHeaders() {
    }

    /** The published type of a payload class: {@code name.vN} from its {@link EventType}. */
    public static String typeOf(Class<?> payloadType) {
        EventType type = payloadType.getAnnotation(EventType.class);
        if (type == null) {
            throw new IllegalArgumentException(payloadType.getName() + " has no @EventType; it cannot be published");
        }
        return type.name() + ".v" + type.revision();
    }

    public static List<Header> of(String id, String type, String source, Instant time, String subject,
                                  String aggregateId, long sequence) {
        return of(id, type, source, time, subject, aggregateId, sequence, null);
    }

    /** As {@link #of(String, String, String, Instant, String, String, long)}, with the W3C trace context if any. */
    public static List<Header> of(String id, String type, String source, Instant time, String subject,
                                  String aggregateId, long sequence, String traceparent) {
        List<Header> headers = new ArrayList<>(10);
        headers.add(header(SPEC_VERSION, "1.0"));
        headers.add(header(ID, id));
        headers.add(header(TYPE, type));
        headers.add(header(SOURCE, source));
        headers.add(header(TIME, time.toString()));
        headers.add(header(SUBJECT, subject));
        headers.add(header(CONTENT_TYPE, "application/json"));
        if (aggregateId != null) {
            headers.add(header(AGGREGATE, aggregateId));
            headers.add(header(SEQUENCE, Long.toString(sequence)));
        }
        if (traceparent != null) {
            headers.add(header(TRACEPARENT, traceparent));
        }
        return headers;
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The value of a header as text, or null when absent. */
    public static String text(Iterable<Header> headers, String key) {
        Header last = null;
        for (Header h : headers) {
            if (h.key().equals(key)) {
                last = h;
            }
        }
        return last == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }
}
