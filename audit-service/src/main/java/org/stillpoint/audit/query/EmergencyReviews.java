package org.stillpoint.audit.query;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralIssuedRevision1;
import org.stillpoint.contracts.referral.ReferralReviewed;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The organisation's emergency reviews, as the audit reads them from the referral topic: a flagged referral enters
 * awaiting review, its review closes it. Applying an event again changes nothing (each sets what its event says), so a
 * redelivery or a rebuild writes the same documents.
 */
public record EmergencyReviews(MongoTemplate mongo) implements EventView {

    /** What closes a review that was never recorded: the client was erased first, and nothing more is recorded. */
    public static final String ERASED = "CLIENT_ERASED";

    @Override
    public void apply(Object event, AuditEntry entry, AuditClient client) {
        apply(event);
    }

    /** Reads what {@code event} says of a review, if anything. */
    public void apply(Object event) {
        switch (event) {
            case ReferralIssued r when r.reviewRequired() -> issued(r.referralId().toString(), r.clientId().toString(),
                    r.organisationId().toString(), r.clinicId().toString(), recipient(r.recipient().name(),
                    r.recipient().organisation()), r.issuedAt(), r.issuedBy().subject());
            case ReferralIssuedRevision1 r when r.reviewRequired() -> issued(r.referralId().toString(),
                    r.clientId().toString(), r.organisationId().toString(), r.clinicId().toString(),
                    recipient(r.recipient().name(), r.recipient().organisation()), r.issuedAt(),
                    r.issuedBy().subject());
            case ReferralReviewed r -> mongo.upsert(byId(r.referralId().toString()),
                    new Update().set("clientId", r.clientId().toString()).set("outcome", r.outcome().name())
                                .set("reviewedAt", r.reviewedAt()).set("reviewedBy", r.reviewedBy().subject()),
                    EmergencyReview.class);
            case ClientErased e -> mongo.updateMulti(
                    Query.query(Criteria.where("clientId").is(e.clientId().toString()).and("outcome").isNull()),
                    new Update().set("outcome", ERASED).set("reviewedAt", e.erasedAt()), EmergencyReview.class);
            case null, default -> {
                // nothing to review
            }
        }
    }

    /** The organisation's flagged referrals awaiting review, oldest first. */
    public List<EmergencyReview> awaiting(String organisationId) {
        return mongo.find(Query.query(Criteria.where("organisationId").is(organisationId).and("outcome").isNull())
                               .with(Sort.by("issuedAt", "_id")), EmergencyReview.class);
    }

    /** The organisation's reviews recorded, newest first, at most {@code limit}. */
    public List<EmergencyReview> reviewed(String organisationId, int limit) {
        return mongo.find(Query.query(Criteria.where("organisationId").is(organisationId).and("outcome").ne(null))
                               .with(Sort.by(Sort.Direction.DESC, "reviewedAt")).limit(limit), EmergencyReview.class);
    }

    public Optional<EmergencyReview> of(String referralId) {
        return Optional.ofNullable(mongo.findById(referralId, EmergencyReview.class));
    }

    /** How many of the organisation's reviews are past due at {@code now}. */
    public long overdue(String organisationId, Duration within, Instant now) {
        return mongo.count(Query.query(Criteria.where("organisationId").is(organisationId).and("outcome").isNull()
                                               .and("issuedAt").lt(now.minus(within))), EmergencyReview.class);
    }

    private void issued(String referralId, String clientId, String organisationId, String clinicId, String recipient,
                        Instant issuedAt, String issuedBy) {
        // the fields only: a review read first (another instance, a rebuild) keeps its outcome
        mongo.upsert(byId(referralId), new Update().set("clientId", clientId).set("organisationId", organisationId)
                                                   .set("clinicId", clinicId).set("recipient", recipient)
                                                   .set("issuedAt", issuedAt).set("issuedBy", issuedBy),
                     EmergencyReview.class);
    }

    private static Query byId(String referralId) {
        return Query.query(Criteria.where("_id").is(referralId));
    }

    private static String recipient(String name, String organisation) {
        return organisation == null || organisation.isBlank() ? name : name + ", " + organisation;
    }
}
