package org.stillpoint.audit.query;

import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.access.ClientPlacement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.regex.Pattern;

/**
 * Reads of the audit's records: a client's placement, their entries (all of them, or a page by the timeline index), the
 * search; also where each client belongs, from the registrations the audit has read.
 */
@Component
public record AuditQueries(MongoTemplate mongo) implements ClientDirectory {

    /** The timeline's order, as the index {@code timeline} holds it. */
    private static final Sort ORDER = Sort.by("recordedAt", "_id");

    public Optional<AuditClient> client(ClientId clientId) {
        return Optional.ofNullable(mongo.findById(clientId.toString(), AuditClient.class));
    }

    /** Every entry of the client, in timeline order: what the exports, the accounting and the state as of read. */
    public List<AuditEntry> entries(ClientId clientId) {
        return mongo.find(Query.query(Criteria.where("clientId").is(clientId.toString())).with(ORDER), AuditEntry.class);
    }

    /**
     * The client's entries of {@code kind} ({@code access}, {@code session}, …), or of every other kind with
     * {@code others}, in timeline order, as the store's cursor yields them: close the stream.
     */
    public Stream<AuditEntry> stream(ClientId clientId, String kind, boolean others) {
        Criteria criteria = Criteria.where("clientId").is(clientId.toString());
        criteria = others ? criteria.and("kind").ne(kind) : criteria.and("kind").is(kind);
        return mongo.stream(Query.query(criteria).with(ORDER), AuditEntry.class);
    }

    /** The client's entries of the event type {@code type}, in timeline order, as the store's cursor yields them. */
    public Stream<AuditEntry> streamOfType(ClientId clientId, String type) {
        return mongo.stream(Query.query(Criteria.where("clientId").is(clientId.toString()).and("type").is(type))
                                 .with(ORDER), AuditEntry.class);
    }

    /** The client's accesses, in timeline order. */
    public List<AuditEntry> accesses(ClientId clientId) {
        return mongo.find(Query.query(Criteria.where("clientId").is(clientId.toString()).and("kind").is("access"))
                               .with(ORDER), AuditEntry.class);
    }

    /**
     * One page of the entries {@code filter} matches, {@code size} to a page, in the order the audit received them. The
     * whole timeline and its entries of one kind are read by their slots ({@link TimelineSlots}), whatever the page's
     * depth; a filter by service, actor or period reads the client's entries.
     */
    public TimelinePage timeline(ClientId clientId, TimelineFilter filter, int page, int size) {
        if (filter.service() == null && filter.actor() == null && filter.from() == null && filter.to() == null) {
            return new TimelineSlots(mongo).page(clientId, filter.kind(), page, size);
        }
        Criteria criteria = Criteria.where("clientId").is(clientId.toString());
        if (filter.kind() != null) {
            criteria = criteria.and("kind").is(filter.kind());
        }
        if (filter.service() != null) {
            criteria = criteria.and("service").is(filter.service());
        }
        if (filter.actor() != null) {
            criteria = criteria.and("actor").is(filter.actor());
        }
        if (filter.from() != null || filter.to() != null) {
            criteria = period(criteria.and("occurredAt"), filter.from(), filter.to());
        }
        List<AuditEntry> entries = mongo.find(Query.query(criteria).with(Sort.by("position")).skip((long) page * size)
                                                   .limit(size + 1), AuditEntry.class);
        boolean more = entries.size() > size;
        return new TimelinePage(more ? entries.subList(0, size) : entries, page, size, more);
    }

    /** What the client's timeline holds: how many entries, the services and actors in them, the last one's time. */
    public TimelineHead head(ClientId clientId) {
        return new TimelineSlots(mongo).head(clientId.toString());
    }

    /** The organisation's clients {@code search} finds, by id, at most {@code limit} of them. */
    public List<AuditClient> find(OrganisationId organisation, ClientSearch search, int limit) {
        List<Criteria> all = new ArrayList<>(List.of(Criteria.where("organisationId").is(organisation.toString())));
        if (search.client() != null) {
            all.add(Criteria.where("_id").regex("^" + Pattern.quote(search.client())));
        }
        if (search.clinic() != null) {
            all.add(Criteria.where("clinicId").is(search.clinic()));
        }
        if (search.byEntries()) {
            Criteria entries = new Criteria();
            if (search.actor() != null) {
                entries = entries.and("actor").is(search.actor());
            }
            if (search.from() != null || search.to() != null) {
                entries = period(entries.and("occurredAt"), search.from(), search.to());
            }
            all.add(Criteria.where("_id").in(mongo.findDistinct(Query.query(entries), "clientId", AuditEntry.class,
                                                                String.class)));
        }
        return mongo.find(Query.query(new Criteria().andOperator(all)).with(Sort.by("_id")).limit(limit),
                          AuditClient.class);
    }

    private static Criteria period(Criteria field, Instant from, Instant to) {
        if (from != null) {
            field = field.gte(from);
        }
        return to == null ? field : field.lt(to);
    }

    /**
     * The organisation the audit has placed the client in (from their registration, or an access to them), read
     * as one field: the ingest asks it of every record.
     */
    public static Optional<String> organisationOf(MongoTemplate mongo, String clientId) {
        Query query = Query.query(Criteria.where("_id").is(clientId));
        query.fields().include("organisationId");
        Document client = mongo.findOne(query, Document.class, AuditClient.COLLECTION);
        return Optional.ofNullable(client == null ? null : client.getString("organisationId"));
    }

    @Override
    public Optional<ClientPlacement> find(ClientId clientId) {
        return client(clientId).flatMap(AuditQueries::placementOf);
    }

    /** Where the client belongs, once the audit has read where (their registration, or an access to them). */
    public static Optional<ClientPlacement> placementOf(AuditClient client) {
        if (client.organisationId() == null || client.clinicId() == null) {
            return Optional.empty();
        }
        return Optional.of(new ClientPlacement(ClientId.of(client.clientId()), OrganisationId.of(client.organisationId()),
                                               ClinicId.of(client.clinicId()), client.erasedAt()));
    }
}
