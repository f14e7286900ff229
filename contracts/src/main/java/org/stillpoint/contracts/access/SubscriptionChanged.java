package org.stillpoint.contracts.access;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription of an organisation was registered, changed, paused, resumed, disabled, deleted, rewound or
 * asked to redeliver (delivery-service, DESIGN §10): what leaves the organisation by push is the organisation's audit.
 * About no one client: keyed {@code operations}, in the organisation's ledger, kept off the organisation topics. The
 * signing secret is never in it.
 *
 * @param subscriptionId the subscription
 * @param name           the name its owner gave it
 * @param endpoint       where it delivers: scheme, host, port and path, never the query (it may hold a token)
 * @param eventTypes     the event types it delivers ({@code stillpoint.session.*} names a service's every type)
 * @param change         what happened
 * @param detail         for {@code REWOUND} where delivery starts again, for {@code REDELIVERY_ASKED} which messages,
 *                       for {@code PAUSED_FAILING} and {@code DISABLED} the last answer; else null
 * @param actor          who: the caller's subject, or {@code system/delivery} for what the service did by itself
 */
@EventType(name = "stillpoint.access.subscription-changed", revision = 1)
public record SubscriptionChanged(
        OrganisationId organisationId,
        String subscriptionId,
        String name,
        String endpoint,
        List<String> eventTypes,
        SubscriptionChange change,
        String detail,
        Actor actor,
        Instant at) implements OrganisationEvent {

    /** What delivery-service does by itself: pausing a failing endpoint, disabling a gone one. */
    public static final Actor DELIVERY = new Actor("system/delivery");

    public SubscriptionChanged {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
    }

    /** A subscription is the organisation's, about no one client: on no client's timeline. */
    @Override
    public ClientId clientId() {
        return null;
    }
}
