package org.stillpoint.platform.deadletter;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** How a consumer group applies one record: what a release calls for each letter, in the client's order. */
@FunctionalInterface
public interface RecordHandler {

    void apply(ConsumerRecord<String, byte[]> record) throws Exception;
}
