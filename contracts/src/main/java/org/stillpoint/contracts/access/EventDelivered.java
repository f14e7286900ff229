package org.stillpoint.contracts.access;

import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;

/**
 * An event about a client was delivered to an integrator's webhook and taken (a {@code 2xx}): the integrator's access
 * to that client's record, and a disclosure in the client's accounting. Kept off the organisation topics (a delivery
 * of a delivery would never end). It names the event delivered, never its content.
 *
 * @param subscriptionId the subscription that delivered it
 * @param subscription   the subscription's name
 * @param endpointHost   the host it was delivered to
 * @param webhookId      the message's {@code webhook-id}: the same for every attempt and every redelivery
 * @param eventId        the delivered event's {@code ce_id}
 * @param eventType      the delivered event's {@code ce_type}
 * @param attempts       how many attempts it took
 * @param redelivery     whether it was asked for again after a first delivery
 */
@EventType(name = "stillpoint.access.event-delivered", revision = 1)
public record EventDelivered(
        ClientId clientId,
        OrganisationId organisationId,
        String subscriptionId,
        String subscription,
        String endpointHost,
        String webhookId,
        String eventId,
        String eventType,
        int attempts,
        boolean redelivery,
        Instant at) implements OrganisationEvent {
}
