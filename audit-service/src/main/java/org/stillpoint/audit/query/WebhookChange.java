package org.stillpoint.audit.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.stillpoint.contracts.access.SubscriptionChanged;

import java.time.Instant;
import java.util.List;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * A change of one of the organisation's webhook subscriptions, as the audit received it: what leaves the organisation
 * by push, registered, changed, paused, resumed, disabled, deleted, replayed or redelivered, by whom. About no client;
 * its event is in the organisation's ledger.
 */
@Document(WebhookChange.COLLECTION)
@CompoundIndex(name = "by-organisation", def = "{'organisationId': 1, 'at': -1}")
public record WebhookChange(@Id String eventId, String organisationId, String subscriptionId, String name,
                            String endpoint, List<String> eventTypes, String change, String detail, String actor,
                            Instant at) {

    public static final String COLLECTION = "audit_webhook_changes";

    public WebhookChange {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
    }

    public static WebhookChange of(String eventId, SubscriptionChanged changed) {
        return new WebhookChange(eventId, changed.organisationId() == null ? null : changed.organisationId().toString(),
                                 changed.subscriptionId(), changed.name(), changed.endpoint(), changed.eventTypes(),
                                 changed.change() == null ? null : changed.change().name(), changed.detail(),
                                 changed.actor() == null ? null : changed.actor().subject(), changed.at());
    }

    /** The organisation's latest {@code most} changes, the newest first. */
    public static List<WebhookChange> of(MongoTemplate mongo, String organisationId, int most) {
        return mongo.find(query(where("organisationId").is(organisationId)).with(Sort.by(Sort.Direction.DESC, "at"))
                                                                           .limit(most), WebhookChange.class);
    }
}
