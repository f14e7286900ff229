package org.stillpoint.referral.query;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralReviewed;
import org.stillpoint.contracts.referral.ReferralStatus;
import org.stillpoint.contracts.referral.ReferralStatusChanged;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link ReferralView} from the referral events. Idempotent (each document remembers the last event sequence it
 * applied) and takes every time from the events, so a replay rebuilds the same documents.
 */
@Component
@ProcessingGroup(ReferralsProjection.PROCESSOR)
public record ReferralsProjection(MongoTemplate mongo) {

    public static final String PROCESSOR = "client-referrals";

    @EventHandler
    void on(ReferralIssued event, @SequenceNumber long sequence) {
        // the first time this event is applied; a redelivery finds it there and changes nothing
        try {
            mongo.insert(new ReferralView(
                    event.referralId().toString(), event.clientId().toString(), event.organisationId().toString(),
                    event.clinicId().toString(), event.recipient(), event.urgency(), event.reason(),
                    event.originatingSession() == null ? null : event.originatingSession().toString(),
                    event.sharedCategories(), event.consents(), event.consentViewSequence(), event.emergencyOverride(),
                    event.justification(), event.reviewRequired(), ReferralStatus.ISSUED, true,
                    List.of(new ReferralView.StatusChange(ReferralStatus.ISSUED, event.issuedAt(),
                                                          event.issuedBy().subject(), null)),
                    null, event.issuedAt(), event.issuedBy().subject(), sequence));
        } catch (DuplicateKeyException applied) {
            // applied before
        }
    }

    @EventHandler
    void on(ReferralStatusChanged event, @SequenceNumber long sequence) {
        ReferralView v = mongo.findById(event.referralId().toString(), ReferralView.class);
        if (v == null || sequence <= v.lastSequence()) {
            return;
        }
        List<ReferralView.StatusChange> history = new ArrayList<>(v.history());
        history.add(new ReferralView.StatusChange(event.to(), event.changedAt(), event.changedBy().subject(),
                                                  event.note()));
        mongo.save(new ReferralView(v.referralId(), v.clientId(), v.organisationId(), v.clinicId(), v.recipient(),
                                    v.urgency(), v.reason(), v.originatingSession(), v.sharedCategories(),
                                    v.consents(), v.consentViewSequence(), v.emergencyOverride(), v.justification(),
                                    v.reviewRequired(), event.to(), event.to().open(), history, v.review(),
                                    v.issuedAt(), v.issuedBy(), sequence));
    }

    @EventHandler
    void on(ReferralReviewed event, @SequenceNumber long sequence) {
        ReferralView v = mongo.findById(event.referralId().toString(), ReferralView.class);
        if (v == null || sequence <= v.lastSequence()) {
            return;
        }
        mongo.save(new ReferralView(v.referralId(), v.clientId(), v.organisationId(), v.clinicId(), v.recipient(),
                                    v.urgency(), v.reason(), v.originatingSession(), v.sharedCategories(),
                                    v.consents(), v.consentViewSequence(), v.emergencyOverride(), v.justification(),
                                    v.reviewRequired(), v.status(), v.open(), v.history(),
                                    new ReferralView.Review(event.outcome(), event.reviewedAt(),
                                                            event.reviewedBy().subject(), event.notes()),
                                    v.issuedAt(), v.issuedBy(), sequence));
    }

    @ResetHandler
    void reset() {
        mongo.dropCollection(ReferralView.class);
    }
}
