package org.stillpoint.delivery.ingest;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record of an organisation topic as a webhook's body: the CloudEvent in JSON structured mode, every attribute the
 * record carried (the record signature {@code signature} and its proof {@code signatureproof} among them) and the
 * value's exact bytes as {@code data_base64} — the bytes the record signature covers, which a JSON re-encoding would
 * not keep. The parts of the signed content a CloudEvent has no attribute for travel as extensions: the record's
 * topic ({@code kafkatopic}) and key ({@code partitionkey}, the partitioning extension), with its partition and offset
 * ({@code kafkapartition}, and {@code kafkaoffset} as a string), the position a replay or a redelivery names.
 */
final class StructuredEvent {

    private static final JsonFormat FORMAT = new JsonFormat().withForceJsonDataToBase64();

    private StructuredEvent() {
    }

    static byte[] of(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
        CloudEventBuilder structured = CloudEventBuilder.v1(event)
                                                        .withExtension("kafkatopic", record.topic())
                                                        .withExtension("kafkapartition", record.partition())
                                                        // a string: an offset outgrows CloudEvents' 32-bit Integer
                                                        .withExtension("kafkaoffset", Long.toString(record.offset()));
        if (record.key() != null) {
            structured.withExtension("partitionkey", record.key());
        }
        return FORMAT.serialize(structured.build());
    }
}
