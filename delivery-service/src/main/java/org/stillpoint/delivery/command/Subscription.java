package org.stillpoint.delivery.command;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.stillpoint.contracts.Sealed;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription of an organisation, as stored: one document, changed only with its version as it was read.
 *
 * @param endpoint    where it delivers, without the query (the query may hold the integrator's token): what answers and
 *                    records show
 * @param target      the whole endpoint and the signing secret, sealed under the subscription's own data key (deleting
 *                    the subscription shreds it)
 * @param startFrom   where delivery starts on a partition it has no cursor for yet: when it was created, the beginning
 *                    of the topics, or a moment its owner chose
 * @param statusDetail why it is paused or disabled when the service did it: the endpoint's last answer
 */
@Document("delivery_subscriptions")
public record Subscription(@Id String id, String organisationId, String name, String endpoint, Sealed target,
                           List<String> eventTypes, Status status, String statusDetail, Instant startFrom,
                           Instant createdAt, String createdBy, Instant changedAt, long version) {

    public enum Status {
        /** Delivering. */
        ACTIVE,
        /** Paused by a person: nothing is sent, nothing is skipped. */
        PAUSED,
        /** Paused by the service after its endpoint failed for the whole retry period. */
        PAUSED_FAILING,
        /** Its endpoint answered 410 Gone. */
        DISABLED,
        /** Deleted: its secret is shredded; its delivery log stays readable. */
        DELETED
    }

    /** The host its endpoint names: what the delivery log, the audit and the operator are shown of where it goes. */
    public String endpointHost() {
        return URI.create(endpoint).getHost();
    }

    public boolean delivering() {
        return status == Status.ACTIVE;
    }

    Subscription with(Status newStatus, String detail, Instant at) {
        return new Subscription(id, organisationId, name, endpoint, target, eventTypes, newStatus, detail, startFrom,
                                createdAt, createdBy, at, version + 1);
    }

    Subscription with(String newName, String newEndpoint, Sealed newTarget, List<String> newTypes, Instant at) {
        return new Subscription(id, organisationId, newName, newEndpoint, newTarget, newTypes, status, statusDetail,
                                startFrom, createdAt, createdBy, at, version + 1);
    }

    /** Whether this subscription delivers events of {@code ceType}: named exactly, or by its service's wildcard. */
    public boolean wants(String ceType) {
        for (String wanted : eventTypes) {
            if (wanted.equals(ceType) || (wanted.endsWith(".*")
                    && ceType.startsWith(wanted.substring(0, wanted.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** The services whose organisation topics this subscription reads: {@code session} for {@code stillpoint.session.*}. */
    public List<String> services() {
        return eventTypes.stream().map(type -> type.split("\\.")[1]).distinct().sorted().toList();
    }
}
