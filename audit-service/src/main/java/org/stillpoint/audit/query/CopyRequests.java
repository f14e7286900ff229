package org.stillpoint.audit.query;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.CopyDownloaded;
import org.stillpoint.contracts.consent.CopyNotesDecided;
import org.stillpoint.contracts.consent.CopyNotesReferred;
import org.stillpoint.contracts.consent.CopyProduced;
import org.stillpoint.contracts.consent.CopyRequested;

import java.time.Instant;
import java.util.List;

/**
 * The organisation's queue of clients' requests for a copy of their record, with when each is due, kept from the consent
 * topic: what the compliance officer watches so that no copy is answered late.
 */
public final class CopyRequests implements EventView {

    /**
     * One request.
     *
     * @param status        {@code REQUESTED}; {@code AWAITING_NOTES_DECISION} while a clinic administrator decides on
     *                      the session notes; {@code PRODUCED} once the copy is; {@code ERASED} when the client was
     *                      erased before it was answered
     * @param producedAt    when the copy was produced: the request answered
     * @param downloadsLeft how many more downloads the copy allows
     */
    @Document(Request.COLLECTION)
    @CompoundIndex(name = "organisation", def = "{'organisationId': 1, 'dueBy': 1}")
    @CompoundIndex(name = "client", def = "{'clientId': 1}")
    public record Request(@Id String requestId, String organisationId, String clientId, String clinicId, String channel,
                          Instant receivedAt, Instant dueBy, String recordedBy, String status, Instant producedAt,
                          Integer downloadsLeft) {

        public static final String COLLECTION = "audit_copy_requests";

        /** Answered after its due time. */
        public boolean answeredLate() {
            return producedAt != null && producedAt.isAfter(dueBy);
        }

        /** Owed: not answered, the client not erased. */
        public boolean owed() {
            return "REQUESTED".equals(status) || "AWAITING_NOTES_DECISION".equals(status);
        }

        /** Owed and past its due time at {@code now}. */
        public boolean overdue(Instant now) {
            return owed() && now.isAfter(dueBy);
        }
    }

    private final MongoTemplate mongo;

    public CopyRequests(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public void apply(Object event, AuditEntry entry, AuditClient client) {
        apply(event);
    }

    /**
     * What an event read by the audit changes: a request joins the queue, its copy produced answers it, a download
     * counts; an erasure closes the client's.
     */
    public void apply(Object event) {
        switch (event) {
            case CopyRequested r -> {
                try {
                    mongo.insert(new Request(r.requestId().toString(), r.organisationId().toString(),
                                             r.clientId().toString(), r.clinicId().toString(), r.channel().name(),
                                             r.receivedAt(), r.dueBy(), r.recordedBy().subject(), "REQUESTED", null,
                                             null));
                } catch (DuplicateKeyException redelivered) {
                    // on the queue already
                }
            }
            case CopyNotesReferred r -> mongo.updateFirst(
                    Query.query(Criteria.where("_id").is(r.requestId().toString()).and("status").is("REQUESTED")),
                    new Update().set("status", "AWAITING_NOTES_DECISION"), Request.class);
            case CopyNotesDecided d -> mongo.updateFirst(
                    Query.query(Criteria.where("_id").is(d.requestId().toString())
                                        .and("status").is("AWAITING_NOTES_DECISION")),
                    new Update().set("status", "REQUESTED"), Request.class);
            case CopyProduced p -> mongo.updateFirst(
                    Query.query(Criteria.where("_id").is(p.requestId().toString())
                                        .and("status").in("REQUESTED", "AWAITING_NOTES_DECISION")),
                    new Update().set("status", "PRODUCED").set("producedAt", p.producedAt())
                                .set("downloadsLeft", p.downloadsAllowed()), Request.class);
            // downloads only count down: a redelivered earlier download gives none back
            case CopyDownloaded d -> mongo.updateFirst(
                    Query.query(Criteria.where("_id").is(d.requestId().toString())
                                        .and("downloadsLeft").gt(d.downloadsLeft())),
                    new Update().set("downloadsLeft", d.downloadsLeft()), Request.class);
            case ClientErased erased -> mongo.updateMulti(
                    Query.query(Criteria.where("clientId").is(erased.clientId().toString())
                                        .and("status").in("REQUESTED", "AWAITING_NOTES_DECISION")),
                    new Update().set("status", "ERASED"), Request.class);
            case null, default -> {
            }
        }
    }

    /** The organisation's requests, soonest due first. */
    public List<Request> of(String organisationId) {
        return mongo.find(Query.query(Criteria.where("organisationId").is(organisationId)).with(Sort.by("dueBy")),
                          Request.class);
    }
}
