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
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads of the audit's records; also where each client belongs, from the registrations the audit has read. */
@Component
public record AuditQueries(MongoTemplate mongo) implements ClientDirectory {

    public Optional<AuditClient> client(ClientId clientId) {
        return Optional.ofNullable(mongo.findById(clientId.toString(), AuditClient.class));
    }

    /** The organisation's clients {@code search} finds, by id, at most {@code limit} of them. */
    public List<AuditClient> find(OrganisationId organisation, ClientSearch search, int limit) {
        Criteria criteria = Criteria.where("organisationId").is(organisation.toString());
        if (search.client() != null) {
            criteria = criteria.and("_id").regex("^" + Pattern.quote(search.client()));
        }
        if (search.clinic() != null) {
            criteria = criteria.and("clinicId").is(search.clinic());
        }
        if (search.byEntries()) {
            Criteria entry = new Criteria();
            if (search.actor() != null) {
                entry = entry.and("actor").is(search.actor());
            }
            if (search.from() != null || search.to() != null) {
                Criteria period = entry.and("occurredAt");
                if (search.from() != null) {
                    period = period.gte(search.from());
                }
                if (search.to() != null) {
                    period.lt(search.to());
                }
            }
            criteria = criteria.and("entries").elemMatch(entry);
        }
        return mongo.find(Query.query(criteria).with(Sort.by("_id")).limit(limit), AuditClient.class);
    }

    /**
     * The organisation the audit has placed the client in (from their registration, or an access to them), read
     * without the client's entries: the ingest asks it of every record.
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
        Instant erasedAt = client.entries().stream().filter(e -> e.type().startsWith("stillpoint.consent.client-erased"))
                                 .map(AuditEntry::occurredAt).findFirst().orElse(null);
        return Optional.of(new ClientPlacement(ClientId.of(client.clientId()), OrganisationId.of(client.organisationId()),
                                               ClinicId.of(client.clinicId()), erasedAt));
    }
}
