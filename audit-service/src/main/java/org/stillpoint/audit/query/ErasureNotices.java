package org.stillpoint.audit.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.stillpoint.contracts.access.ErasureNoticeRecorded;
import org.stillpoint.contracts.access.NoticeOutcome;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralIssuedRevision1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The notices owed after an erasure (GDPR Art. 19): when a client is erased, every recipient their data was disclosed
 * to — each as the accounting of disclosures names them, whatever the number of referrals to them — is a task the
 * compliance officer closes as told (how) or not owed (why), each closing an event
 * ({@code stillpoint.access.erasure-notice-recorded}). A referral that reaches the audit after the erasure (its topic
 * was behind) adds its recipient then. Kept from the topics, so a rebuild writes them again.
 */
public final class ErasureNotices implements EventView {

    /**
     * One recipient owed a notice.
     *
     * @param id       {@code <clientId>/<recipient's key>}: the recipient's kind, name and organisation, hashed
     * @param outcome  how it was closed; null while open
     */
    @Document(Notice.COLLECTION)
    @CompoundIndex(name = "organisation", def = "{'organisationId': 1, 'erasedAt': 1}")
    @CompoundIndex(name = "client", def = "{'clientId': 1}")
    public record Notice(@Id String id, String organisationId, String clientId, Instant erasedAt, String recipientKind,
                         String recipientName, String recipientOrganisation, List<String> referrals,
                         Instant lastDisclosedAt, String outcome, Instant closedAt, String closedBy) {

        public static final String COLLECTION = "audit_notices";

        public boolean open() {
            return outcome == null;
        }

        /** The part of the id after the client's. */
        public String key() {
            return id.substring(id.indexOf('/') + 1);
        }
    }

    private final MongoTemplate mongo;
    private final ObjectMapper json;

    public ErasureNotices(MongoTemplate mongo, ObjectMapper json) {
        this.mongo = mongo;
        this.json = json;
    }

    /** What an event read by the audit changes: an erasure opens the notices, a late referral adds one, a closing closes. */
    @Override
    public void apply(Object event, AuditEntry entry, AuditClient client) {
        apply(event, client);
    }

    /** What an event changes, for the client placed as {@code client}. */
    public void apply(Object event, AuditClient client) {
        switch (event) {
            case ClientErased erased -> {
                List<AuditEntry> referrals = mongo.find(Query.query(Criteria.where("clientId")
                                                                            .is(erased.clientId().toString())
                                                                            .and("kind").is("referral")),
                                                        AuditEntry.class);
                for (AuditEntry entry : referrals) {
                    owed(ClientHistory.event(json, entry), erased.clientId().toString(),
                         erased.organisationId() == null ? null : erased.organisationId().toString(), erased.erasedAt());
                }
            }
            case ReferralIssued issued when client != null && client.erasedAt() != null ->
                    owed(issued, client.clientId(), client.organisationId(), client.erasedAt());
            case ReferralIssuedRevision1 issued when client != null && client.erasedAt() != null ->
                    owed(issued, client.clientId(), client.organisationId(), client.erasedAt());
            case ErasureNoticeRecorded recorded -> close(recorded.noticeId(), recorded.outcome().name(),
                                                          recorded.recordedAt(), recorded.recordedBy().subject());
            case null, default -> {
            }
        }
    }

    /** Closes the notice; false when it was closed already (a redelivery closes nothing again). */
    public boolean close(String id, String outcome, Instant at, String by) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("outcome").is(null)),
                                 new Update().set("outcome", outcome).set("closedAt", at).set("closedBy", by),
                                 Notice.class).getModifiedCount() > 0;
    }

    public Optional<Notice> of(String id) {
        return Optional.ofNullable(mongo.findById(id, Notice.class));
    }

    /** The organisation's notices, open first, then newest erasure first. */
    public List<Notice> ofOrganisation(String organisationId) {
        return mongo.find(Query.query(Criteria.where("organisationId").is(organisationId))
                               .with(Sort.by(Sort.Direction.DESC, "erasedAt")), Notice.class).stream()
                    .sorted(Comparator.comparing((Notice n) -> !n.open())).toList();
    }

    /** The client's notices. */
    public List<Notice> ofClient(String clientId) {
        return mongo.find(Query.query(Criteria.where("clientId").is(clientId)), Notice.class);
    }

    /** A notice's outcome in words: "told by letter", "not owed: telling them proved impossible"; open: "not yet told". */
    public static String words(String outcome) {
        if (outcome == null) {
            return "not yet told";
        }
        return switch (NoticeOutcome.valueOf(outcome)) {
            case NOTIFIED_BY_LETTER -> "told by letter";
            case NOTIFIED_BY_EMAIL -> "told by email";
            case NOTIFIED_BY_SECURE_MESSAGE -> "told by secure message";
            case NOTIFIED_BY_PHONE -> "told by telephone";
            case NOT_REQUIRED_IMPOSSIBLE -> "not owed: telling them proved impossible";
            case NOT_REQUIRED_DISPROPORTIONATE_EFFORT -> "not owed: telling them would take disproportionate effort";
            case NOT_REQUIRED_DATA_NOT_HELD -> "not owed: they confirmed they hold none of the data";
        };
    }

    private void owed(Object referral, String clientId, String organisationId, Instant erasedAt) {
        switch (referral) {
            case ReferralIssued r -> owed(clientId, organisationId, erasedAt, r.recipient().kind().name(),
                                          r.recipient().name(), r.recipient().organisation(), r.referralId().toString(),
                                          r.issuedAt());
            case ReferralIssuedRevision1 r -> owed(clientId, organisationId, erasedAt, r.recipient().kind().name(),
                                                   r.recipient().name(), r.recipient().organisation(),
                                                   r.referralId().toString(), r.issuedAt());
            case null, default -> {
            }
        }
    }

    private void owed(String clientId, String organisationId, Instant erasedAt, String kind, String name,
                      String organisation, String referralId, Instant issuedAt) {
        String recipientOrganisation = organisation == null || organisation.isBlank() ? null : organisation;
        String id = clientId + "/" + key(kind, name, recipientOrganisation);
        try {
            mongo.insert(new Notice(id, organisationId, clientId, erasedAt, kind, name, recipientOrganisation,
                                    List.of(referralId), issuedAt, null, null, null));
        } catch (DuplicateKeyException known) {
            Notice notice = mongo.findById(id, Notice.class);
            if (notice != null && !notice.referrals().contains(referralId)) {
                mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                                  new Update().addToSet("referrals", referralId)
                                              .max("lastDisclosedAt", issuedAt), Notice.class);
            }
        }
    }

    /** A recipient's key: their kind, name and organisation, hashed (the id holds no name). */
    static String key(String kind, String name, String organisation) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (kind + "\n" + name.strip().toLowerCase(Locale.ROOT) + "\n"
                            + (organisation == null ? "" : organisation.strip().toLowerCase(Locale.ROOT)))
                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
