package org.stillpoint.delivery.ingest;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.stillpoint.delivery.command.Cursors;
import org.stillpoint.delivery.command.Redeliveries;
import org.stillpoint.delivery.command.Subscriptions;
import org.stillpoint.delivery.query.DeliveryLog;
import org.stillpoint.platform.record.RecordVerifier;

import java.time.Clock;
import java.util.function.Function;

/**
 * What every subscription's worker shares.
 *
 * @param consumers a new consumer of the given group id (its offsets are never committed: the cursors are the truth)
 */
public record Parts(Subscriptions subscriptions, Cursors cursors, Redeliveries redeliveries, DeliveryLog log,
                    WebhookSender sender, RecordVerifier verifier, EventGateway events, Retry retry, Clock clock,
                    Function<String, KafkaConsumer<String, byte[]>> consumers) {
}
