package org.stillpoint.platform.record;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.SignedContent;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The CloudEvents 1.0 Kafka protocol binding, binary content mode — attributes as {@code ce_} headers, data as the
 * value — written and read by the CloudEvents SDK ({@code cloudevents-kafka}). Stillpoint's extensions are
 * {@code aggregateid}, {@code sequence}, {@code signature} and {@code signatureproof} (lowercase alphanumeric, as the
 * specification wants); {@code traceparent} is a plain header, tracing only.
 */
public final class CloudEventHeaders {

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

    /**
     * The record of one event: the SDK's binary-mode writer makes the attributes' headers; the W3C trace context, when
     * there is one, rides beside them.
     *
     * @param aggregateId null for an event of no aggregate (then there is no sequence either)
     */
    public static ProducerRecord<String, byte[]> record(String topic, String key, byte[] data, String id, String type,
                                                        String source, Instant time, String subject,
                                                        String aggregateId, long sequence, String traceparent) {
        CloudEventBuilder event = CloudEventBuilder.v1()
                                                   .withId(id)
                                                   .withType(type)
                                                   .withSource(URI.create(source))
                                                   .withTime(time.atOffset(ZoneOffset.UTC))
                                                   .withSubject(subject)
                                                   .withDataContentType("application/json")
                                                   .withData(data);
        if (aggregateId != null) {
            event.withExtension("aggregateid", aggregateId).withExtension("sequence", Long.toString(sequence));
        }
        ProducerRecord<String, byte[]> record = KafkaMessageFactory.createWriter(topic, key).writeBinary(event.build());
        if (traceparent != null) {
            record.headers().add(new RecordHeader(TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8)));
        }
        return record;
    }

    public static List<Header> of(String id, String type, String source, Instant time, String subject,
                                  String aggregateId, long sequence) {
        return of(id, type, source, time, subject, aggregateId, sequence, null);
    }

    /** The headers {@link #record} gives an event, for a record built elsewhere. */
    public static List<Header> of(String id, String type, String source, Instant time, String subject,
                                  String aggregateId, long sequence, String traceparent) {
        return new ArrayList<>(List.of(record("any", subject, new byte[0], id, type, source, time, subject, aggregateId,
                                              sequence, traceparent).headers().toArray()));
    }

    /**
     * The CloudEvent a record carries, read by the SDK.
     *
     * @throws CloudEventRWException when it is not a CloudEvent in binary mode (no {@code ce_specversion}, a missing
     *                               required attribute, a time that does not parse)
     */
    public static CloudEvent read(ConsumerRecord<String, byte[]> record) {
        return KafkaMessageFactory.createReader(record).toEvent();
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
