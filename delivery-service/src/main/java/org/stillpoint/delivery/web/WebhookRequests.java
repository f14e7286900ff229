package org.stillpoint.delivery.web;

import java.time.Instant;
import java.util.List;

/** What a caller sends about webhook subscriptions. */
final class WebhookRequests {

    private WebhookRequests() {
    }

    /**
     * A subscription to register or change.
     *
     * @param startFrom where delivery starts (registering only): absent for now, or a moment (the organisation's
     *                  topics are kept for ever, so {@code 1970-01-01T00:00:00Z} is their beginning)
     */
    record Subscribe(String name, String endpoint, List<String> eventTypes, Instant startFrom) {
    }

    /** A position in a partition of the subscription's topics. */
    record Position(String topic, Integer partition, Long offset) {
    }

    /** A replay: from a moment, or from positions. */
    record Replay(Instant from, List<Position> positions) {
    }

    /** A redelivery: one message by its {@code webhook-id}, or a stretch of one partition. */
    record Redeliver(String webhookId, String topic, Integer partition, Long fromOffset, Long toOffset) {
    }
}
