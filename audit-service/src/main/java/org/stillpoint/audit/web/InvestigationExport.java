package org.stillpoint.audit.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import org.stillpoint.audit.ledger.Checkpoint;
import org.stillpoint.audit.ledger.LedgerEntry;
import org.stillpoint.audit.ledger.LedgerProof;
import org.stillpoint.audit.query.Investigation;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.platform.record.RecordSigner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An investigation as a file whose completeness ledger-verifier checks offline ({@value #FORMAT}). Besides the report it
 * carries the stretch of the organisation's ledger that holds every access of the window: every link, whoever's, from
 * the one after the last checkpoint signed at or before the window opened (the first link of the chain when none was)
 * to the first checkpoint signed at or after it closed (the chain's head when none was yet), with each link's event
 * bytes. The signed checkpoints at both ends tie the stretch to the chain; an event created in the window was linked
 * after the opening checkpoint was signed, so none is before the stretch. The verifier finds in it every access event
 * of the actor in the window and recounts the report. The actor's accesses of the window that reached the audit after
 * the closing checkpoint (late, rare: the audit was behind) are named in {@code notCovered} and left out of the report's
 * counts. The export is signed by the audit-service, like a client's.
 */
@Component
record InvestigationExport(MongoTemplate mongo, Investigation investigations,
                           @Qualifier("stillpointEventJson") ObjectMapper json, RecordSigner signer) {

    /** The name and version of an investigation's export. */
    public static final String FORMAT = "stillpoint-investigation-export/1";
    /** The JWS type of its signature. */
    public static final String SIGNATURE_TYPE = "stillpoint-investigation-export+jwt";
    /** The most links an export carries: a wider window is refused, to be asked for in parts. */
    static final int MOST_LINKS = 50_000;

    /** The file, and the report it carries. */
    record File(String json, Investigation.Report report) {
    }

    /** The investigation of {@code actor} in the window, with its stretch of the ledger, signed. */
    File of(String organisationId, String actor, Instant from, Instant to, Instant at) {
        Checkpoint opening = mongo.findOne(Query.query(Criteria.where("organisationId").is(organisationId)
                                                               .and("at").lte(from))
                                                .with(Sort.by(Sort.Direction.DESC, "index")).limit(1), Checkpoint.class);
        Checkpoint closing = mongo.findOne(Query.query(Criteria.where("organisationId").is(organisationId)
                                                               .and("at").gte(to))
                                                .with(Sort.by(Sort.Direction.ASC, "index")).limit(1), Checkpoint.class);
        long first = opening == null ? 0 : opening.index() + 1;
        long last = closing != null ? closing.index() : head(organisationId);
        if (last - first + 1 > MOST_LINKS) {
            throw Refusal.unprocessable("window-too-wide", "from", "The window holds " + (last - first + 1)
                    + " links of the organisation's ledger; an export carries at most " + MOST_LINKS
                    + ": ask for a shorter window.");
        }
        List<Map<String, Object>> links = new ArrayList<>();
        for (long page = first; page <= last; page += 500) {
            Map<Long, LedgerEntry> read = LedgerEntry.range(mongo, organisationId, page, Math.min(page + 500, last + 1));
            for (long index = page; index < Math.min(page + 500, last + 1); index++) {
                LedgerEntry entry = read.get(index);
                if (entry == null) {
                    throw new IllegalStateException("link " + index + " of " + organisationId + "'s ledger is missing");
                }
                links.add(LedgerProof.link(entry));
            }
        }
        // the actor's accesses of the window counted are those the stretch holds
        Map<String, Long> indexes = indexes(organisationId, investigations.accessEvents(actor, from, to));
        List<String> notCovered = indexes.entrySet().stream()
                                         .filter(e -> e.getValue() == null || e.getValue() > last)
                                         .map(Map.Entry::getKey).sorted().toList();
        Investigation.Report report = investigations.of(organisationId, actor, from, to,
                                                        id -> indexes.get(id) != null && indexes.get(id) <= last);
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("format", FORMAT);
        export.put("organisationId", organisationId);
        export.put("actor", actor);
        export.put("from", from.toString());
        export.put("to", to.toString());
        export.put("exportedAt", at.toString());
        export.put("investigation", report);
        export.put("notCovered", notCovered);
        Map<String, Object> ledger = new LinkedHashMap<>();
        ledger.put("organisationId", organisationId);
        ledger.put("opening", opening == null ? null : checkpoint(opening));
        ledger.put("closing", closing == null ? null : checkpoint(closing));
        ledger.put("links", links);
        export.put("ledger", ledger);
        return new File(signed(export, organisationId, actor, from, to, at), report);
    }

    /** The index of the organisation's last link; -1 for an empty chain. */
    private long head(String organisationId) {
        LedgerEntry last = mongo.findOne(Query.query(Criteria.where("organisationId").is(organisationId))
                                              .with(Sort.by(Sort.Direction.DESC, "index")).limit(1), LedgerEntry.class);
        return last == null ? -1 : last.index();
    }

    /**
     * Where each event is in the organisation's ledger (null while it waits to be linked), in one query; an event in
     * another organisation's chain (a read of its client) is not this export's.
     */
    private Map<String, Long> indexes(String organisationId, List<String> eventIds) {
        Map<String, Long> indexes = new HashMap<>();
        eventIds.forEach(id -> indexes.put(id, null));
        for (Document id : mongo.find(Query.query(Criteria.where("_id").in(eventIds)), Document.class, LedgerEntry.IDS)) {
            String organisation = id.getString("organisationId");
            if (organisation != null && !organisation.equals(organisationId)) {
                indexes.remove(id.getString("_id"));
            } else if (id.get("index") instanceof Number index) {
                indexes.put(id.getString("_id"), index.longValue());
            }
        }
        return indexes;
    }

    private static Map<String, Object> checkpoint(Checkpoint checkpoint) {
        Map<String, Object> signed = new LinkedHashMap<>();
        signed.put("index", checkpoint.index());
        signed.put("hash", checkpoint.hash());
        signed.put("at", checkpoint.at().toString());
        signed.put("jws", checkpoint.jws());
        return signed;
    }

    private String signed(Map<String, Object> export, String organisationId, String actor, Instant from, Instant to,
                          Instant at) {
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("format", FORMAT);
        about.put("organisation", organisationId);
        about.put("actor", actor);
        about.put("from", from.toString());
        about.put("to", to.toString());
        about.put("exportedAt", at.toString());
        return SignedFile.of(json, signer, SIGNATURE_TYPE, export, about);
    }
}
