package org.stillpoint.audit.query;

import org.bson.Document;
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

/** Reads of the audit's records; also where each client belongs, from the registrations the audit has read. */
@Component
public record AuditQueries(MongoTemplate mongo) implements ClientDirectory {

    public Optional<AuditClient> client(ClientId clientId) {
        return Optional.ofNullable(mongo.findById(clientId.toString(), AuditClient.class));
    }

    /** Every client the audit knows, for the page's search. */
    public List<AuditClient> clients() {
        return mongo.findAll(AuditClient.class);
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
