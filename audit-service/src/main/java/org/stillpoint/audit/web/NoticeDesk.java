package org.stillpoint.audit.web;

import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import org.stillpoint.audit.query.ErasureNotices;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.access.ErasureNoticeRecorded;
import org.stillpoint.contracts.access.NoticeOutcome;
import org.stillpoint.contracts.referral.RecipientKind;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Where a compliance officer closes a notice owed after an erasure ({@link ErasureNotices}): told, and how, or not
 * owed, and why — an event ({@code stillpoint.access.erasure-notice-recorded}) in the organisation's ledger and on the
 * client's timeline. Each notice is closed once.
 */
@Component
record NoticeDesk(ErasureNotices notices, EventGateway events, MongoTemplate mongo, Clock clock) {

    /** The outcomes a notice closes with, as the console offers them. */
    static List<String> outcomes() {
        return Arrays.stream(NoticeOutcome.values()).map(Enum::name).toList();
    }

    /** The organisation's notices (compliance officers). */
    List<ErasureNotices.Notice> ofOrganisation(Caller caller) {
        requireOfficer(caller);
        return notices.ofOrganisation(caller.organisationId().toString());
    }

    /** Closes the notice to the recipient {@code key} of {@code clientId}'s erasure with {@code outcome}. */
    ErasureNotices.Notice close(Caller caller, ClientId clientId, String key, String outcome) {
        requireOfficer(caller);
        NoticeOutcome closing = outcome(outcome);
        String id = clientId + "/" + key;
        ErasureNotices.Notice notice = notices.of(id)
                .filter(n -> n.organisationId() != null && caller.belongsTo(OrganisationId.of(n.organisationId())))
                .orElseThrow(() -> Refusal.notFound("notice-not-found", "noticeId", "There is no notice " + id
                        + " owed in your organisation."));
        Instant at = clock.instant();
        if (!notices.close(id, closing.name(), at, caller.subject())) {
            throw Refusal.conflict("notice-closed", "noticeId", "The notice to " + notice.recipientName()
                    + " was closed already: " + ErasureNotices.words(notices.of(id).map(ErasureNotices.Notice::outcome)
                                                                                  .orElse(null)) + ".");
        }
        try {
            events.publish(new ErasureNoticeRecorded(clientId, OrganisationId.of(notice.organisationId()), id,
                                                     RecipientKind.valueOf(notice.recipientKind()),
                                                     notice.recipientName(), notice.recipientOrganisation(),
                                                     notice.referrals(), closing, caller.actor(), at));
        } catch (RuntimeException e) {
            // not recorded: the notice stays open
            mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                              new Update().unset("outcome").unset("closedAt").unset("closedBy"),
                              ErasureNotices.Notice.class);
            throw e;
        }
        return notices.of(id).orElseThrow();
    }

    private static NoticeOutcome outcome(String outcome) {
        try {
            return NoticeOutcome.valueOf(outcome == null ? "" : outcome.strip());
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("invalid-request", "outcome", "outcome must be one of " + String.join(", ", outcomes())
                    + ": told how, or not owed and why.");
        }
    }

    private static void requireOfficer(Caller caller) {
        ClientAccess.requireAny(caller, "notices owed after an erasure (compliance officers)", Role.COMPLIANCE_OFFICER);
    }
}
