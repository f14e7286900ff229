package org.stillpoint.delivery.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.stillpoint.delivery.command.Subscription;
import org.stillpoint.delivery.query.DeliveryLog.Attempt;

import java.time.Instant;
import java.util.List;

/** What the webhook endpoints answer. */
final class WebhookAnswers {

    private WebhookAnswers() {
    }

    /**
     * A subscription as its organisation reads it.
     *
     * @param secret the signing secret: only in the answer that made it (registering, a new secret); absent after
     * @param statusDetail why the service paused or disabled it: the endpoint's last answer
     */
    record SubscriptionAnswer(String subscriptionId, String name, String endpoint, List<String> eventTypes,
                              String status, String statusDetail, Instant startFrom, Instant createdAt,
                              String createdBy, Instant changedAt, String deliveries,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

        static SubscriptionAnswer of(Subscription s, String secret) {
            return new SubscriptionAnswer(s.id(), s.name(), s.endpoint(), s.eventTypes(), s.status().name(),
                                          s.statusDetail(), s.startFrom(), s.createdAt(), s.createdBy(), s.changedAt(),
                                          "/api/webhooks/" + s.id() + "/deliveries", secret);
        }
    }

    record Subscriptions(List<SubscriptionAnswer> subscriptions) {
    }

    /** A page of the delivery log, the newest first; {@code next} reads the page after it. */
    record Deliveries(String subscriptionId, List<Attempt> attempts, String next) {
    }

    /** A subscription as the operator sees it: whether it delivers, and why not. */
    record Operated(String subscriptionId, String name, String endpointHost, String status, String statusDetail,
                    Instant changedAt) {
    }

    record Operations(List<Operated> subscriptions) {
    }

    /** What was asked to happen, and where to watch it. */
    record Asked(String subscriptionId, String asked, String deliveries) {
    }
}
