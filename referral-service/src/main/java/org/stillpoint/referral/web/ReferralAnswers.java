package org.stillpoint.referral.web;

import org.springframework.stereotype.Component;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.Urgency;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.referral.command.RecipientDetails;
import org.stillpoint.referral.query.ReferralQueries;
import org.stillpoint.referral.query.ReferralView;
import org.stillpoint.referral.web.ReferralResponses.OpenReferral;
import org.stillpoint.referral.web.ReferralResponses.OpenReferrals;
import org.stillpoint.referral.web.ReferralResponses.Referral;
import org.stillpoint.referral.web.ReferralResponses.ReferralCreated;
import org.stillpoint.referral.web.ReferralResponses.Review;
import org.stillpoint.referral.web.ReferralResponses.Referrals;
import org.stillpoint.referral.web.ReferralResponses.StatusChange;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What the referral endpoints answer, read from the referral read model with the sealed text opened: for a caller the
 * controller has already allowed to read the client's record.
 */
@Component
record ReferralAnswers(ReferralQueries queries, FieldCipher cipher) {

    /** The client's referrals, oldest first. */
    public Referrals referrals(ClientId clientId) {
        return new Referrals(clientId.toString(), queries.referralsOf(clientId).stream().map(this::referral).toList());
    }

    /** One referral of the client; {@code 404 referral-not-found} when the client has no such referral. */
    public Referral referral(ClientId clientId, ReferralId referralId) {
        return referral(view(clientId, referralId));
    }

    /** The answer to a referral just issued. */
    ReferralCreated created(ClientId clientId, ReferralId referralId) {
        ReferralView view = view(clientId, referralId);
        return new ReferralCreated(referralId.toString(), view.status(), view.emergencyOverride(),
                                   view.reviewRequired(), view.consents());
    }

    /**
     * The organisation's open referrals of the clients {@code readable} lets through (it logs the list), most urgent
     * first; no clinical text.
     */
    OpenReferrals open(OrganisationId organisationId, Urgency minimumUrgency,
                       Function<Collection<ClientId>, Set<ClientId>> readable) {
        List<ReferralView> candidates = queries.openReferrals(organisationId, minimumUrgency);
        Set<ClientId> allowed = readable.apply(candidates.stream().map(r -> ClientId.of(r.clientId())).toList());
        return new OpenReferrals(organisationId.toString(), candidates.stream()
                .filter(r -> allowed.contains(ClientId.of(r.clientId())))
                .map(r -> new OpenReferral(r.referralId(), r.clientId(), r.clinicId(), r.urgency(), r.status(),
                                           r.reviewRequired(), r.recipient().name(), r.issuedAt()))
                .toList());
    }

    /** The client's referrals for their copy, oldest first, as the store's cursor yields them. */
    public java.util.stream.Stream<Referral> forCopy(ClientId clientId) {
        return queries.streamOf(clientId).map(this::referral);
    }

    private Referral referral(ReferralView v) {
        FieldCipher.Opener sealed = cipher.of(v.clientId());
        Recipient to = v.recipient();
        RecipientDetails recipient = new RecipientDetails(to.kind(), to.name(), to.organisation(), sealed.openJson(
                to.contact(), SealedFields.RECIPIENT_CONTACT, Recipient.Contact.class).orElse(null));
        return new Referral(v.referralId(), v.clientId(), v.organisationId(), v.clinicId(), recipient, v.urgency(),
                            sealed.open(v.reason(), SealedFields.REFERRAL_REASON).orElse(null), v.originatingSession(), v.sharedCategories(),
                            v.consents(), v.consentViewSequence(), v.emergencyOverride(),
                            sealed.open(v.justification(), SealedFields.EMERGENCY_JUSTIFICATION).orElse(null), v.reviewRequired(),
                            v.review() == null ? null : new Review(v.review().outcome(), v.review().at(), v.review().by(),
                                    sealed.open(v.review().notes(), SealedFields.REVIEW_NOTES).orElse(null)),
                            v.status(),
                            v.history().stream().map(h -> new StatusChange(h.status(), h.at(), h.by(),
                                                                           sealed.open(h.note(), SealedFields.STATUS_NOTE).orElse(null)))
                             .toList(),
                            v.issuedAt(), v.issuedBy());
    }

    private ReferralView view(ClientId clientId, ReferralId referralId) {
        return queries.referral(clientId, referralId).orElseThrow(() -> unknownReferral(referralId));
    }

    static Refusal unknownReferral(ReferralId referralId) {
        return Refusal.notFound("referral-not-found", "referralId", "This client has no referral " + referralId + ".");
    }
}
