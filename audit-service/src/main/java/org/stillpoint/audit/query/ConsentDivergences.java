package org.stillpoint.audit.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The organisation's review list of acts whose two consent verdicts differ ({@link ConsentAtActs}): a late entry
 * recorded after a withdrawal, an expiry or a superseding change about a time before it, or an act recorded before a
 * withdrawal entered late about a time before it. Kept as the audit reads the events — a session or referral weighs
 * that act against the client's consent entries, a consent's change weighs the client's acts again — so the list is
 * read by organisation, never by walking every client.
 */
public final class ConsentDivergences implements EventView {

    /** One act on the list. */
    @Document(Divergence.COLLECTION)
    @CompoundIndex(name = "organisation", def = "{'organisationId': 1, 'recordedAt': 1}")
    public record Divergence(@Id String eventId, String organisationId, String clientId, String clinicId, String kind,
                             String subject, String actor, Instant occurredAt, Instant recordedAt, boolean lateEntry,
                             boolean inForceAtTheAct, boolean inForceWhenRecorded, List<String> consents) {

        public static final String COLLECTION = "audit_consent_divergences";
    }

    private static final Set<String> KINDS = Set.of("consent", "session", "referral");

    private final MongoTemplate mongo;
    private final ObjectMapper json;

    public ConsentDivergences(MongoTemplate mongo, ObjectMapper json) {
        this.mongo = mongo;
        this.json = json;
    }

    @Override
    public void apply(Object event, AuditEntry entry, AuditClient client) {
        if (KINDS.contains(entry.kind())) {
            recompute(entry.clientId(), entry);
        }
    }

    /**
     * What {@code entry} changes on the client's list. A session or a referral: that act alone, against the client's
     * consent entries (a few per client, however many sessions they have). A consent's grant, withdrawal or expiry: every
     * act of the client again, since each may rely on it (rare: a consent changes a handful of times).
     */
    public void recompute(String clientId, AuditEntry entry) {
        List<AuditEntry> consents = entries(clientId, Set.of("consent"));
        if (entry.kind().equals("consent")) {
            List<AuditEntry> all = new ArrayList<>(consents);
            all.addAll(entries(clientId, Set.of("session", "referral")));
            all.sort(Comparator.comparing(AuditEntry::recordedAt).thenComparing(AuditEntry::eventId));
            keep(clientId, acts(all), null);
            return;
        }
        List<AuditEntry> one = new ArrayList<>(consents);
        one.add(entry);
        keep(clientId, acts(one), entry.eventId());
    }

    private List<ConsentAtActs.Act> acts(List<AuditEntry> entries) {
        return ConsentAtActs.of(entries, e -> ClientHistory.event(json, e));
    }

    private List<AuditEntry> entries(String clientId, Set<String> kinds) {
        return mongo.find(Query.query(Criteria.where("clientId").is(clientId).and("kind").in(kinds))
                               .with(Sort.by("recordedAt", "_id")), AuditEntry.class);
    }

    /** The differing ones of {@code acts} on the list; the others off it (of the one act {@code only}, when named). */
    private void keep(String clientId, List<ConsentAtActs.Act> acts, String only) {
        AuditClient client = mongo.findById(clientId, AuditClient.class);
        List<ConsentAtActs.Act> differing = acts.stream().filter(ConsentAtActs.Act::differ).toList();
        List<String> ids = differing.stream().map(ConsentAtActs.Act::eventId).toList();
        if (only == null) {
            mongo.remove(Query.query(Criteria.where("clientId").is(clientId).and("_id").nin(ids)), Divergence.class);
        } else if (!ids.contains(only)) {
            mongo.remove(Query.query(Criteria.where("_id").is(only)), Divergence.class);
        }
        String organisationId = client == null ? null : client.organisationId();
        for (ConsentAtActs.Act act : differing) {
            mongo.save(new Divergence(act.eventId(), organisationId, clientId, act.clinicId(), act.kind(),
                                      act.subject(), act.actor(), act.occurredAt(), act.recordedAt(), act.lateEntry(),
                                      act.inForceAtTheAct(), act.inForceWhenRecorded(),
                                      act.consents().stream().map(c -> c.consentId() + " v" + c.version()).toList()));
        }
    }

    /** The organisation's list, most recently recorded first. */
    public List<Divergence> of(String organisationId) {
        return mongo.find(Query.query(Criteria.where("organisationId").is(organisationId))
                               .with(Sort.by(Sort.Direction.DESC, "recordedAt")), Divergence.class);
    }
}
