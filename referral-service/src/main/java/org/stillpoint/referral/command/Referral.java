package org.stillpoint.referral.command;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.stillpoint.consentview.ConsentAssessment;
import org.stillpoint.consentview.ConsentGate;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralReviewed;
import org.stillpoint.contracts.referral.ReferralStatus;
import org.stillpoint.contracts.referral.ReferralStatusChanged;
import org.stillpoint.contracts.referral.Urgency;
import org.stillpoint.platform.command.EventSourced;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.problem.Refusal;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A referral and its lifecycle. Issuing it is a disclosure: it needs information-sharing consent active at the time of
 * issue, except an emergency referral with a written justification, which goes out flagged for compliance review.
 */
@EventSourced
public class Referral {

    private static final Set<ConsentScope> SHARING = EnumSet.of(ConsentScope.INFORMATION_SHARING);

    @AggregateIdentifier
    private ReferralId referralId;
    private ClientId clientId;
    private ReferralStatus status;
    private boolean reviewRequired;
    private boolean reviewed;

    protected Referral() {
    }

    @CommandHandler
    public Referral(IssueReferral command, ConsentGate consents, FieldCipher cipher) {
        if (command.sharedCategories() == null || command.sharedCategories().isEmpty()) {
            throw Refusal.unprocessable("nothing-shared", "sharedCategories",
                                        "A referral names the categories of information it shares.");
        }
        if (isBlank(command.reason())) {
            throw Refusal.unprocessable("reason-missing", "reason", "A referral states its reason.");
        }
        boolean emergency = command.urgency() == Urgency.EMERGENCY;
        if (!emergency && !isBlank(command.emergencyJustification())) {
            throw Refusal.unprocessable("justification-without-emergency", "emergencyJustification",
                                        "Only an emergency referral carries an emergency justification.");
        }
        ConsentAssessment sharing = consents.assess(command.clientId(), command.clinicId(), SHARING, command.at(),
                                                    command.consentSequence());
        boolean override = false;
        if (!sharing.covered()) {
            if (!emergency) {
                sharing.required("sharedCategories");
            }
            if (isBlank(command.emergencyJustification())) {
                throw Refusal.unprocessable("justification-missing", "emergencyJustification",
                                            "Without information-sharing consent an emergency referral needs a written "
                                                    + "justification.")
                             .with("missingScopes", List.of(ConsentScope.INFORMATION_SHARING));
            }
            override = true;
        }
        apply(new ReferralIssued(command.clientId(), command.referralId(), OrganisationId.of(sharing.organisationId()),
                                 command.clinicId(), sealed(cipher, command.clientId(), command.recipient()),
                                 command.urgency(),
                                 cipher.seal(command.clientId(), SealedFields.REFERRAL_REASON, command.reason()), command.originatingSession(),
                                 EnumSet.copyOf(command.sharedCategories()), sharing.reliances(),
                                 sharing.viewSequence(), override,
                                 cipher.seal(command.clientId(), SealedFields.EMERGENCY_JUSTIFICATION, isBlank(command.emergencyJustification())
                                         ? null : command.emergencyJustification()),
                                 override, command.at(), command.actor()));
    }

    @CommandHandler
    public void handle(ChangeReferralStatus command, FieldCipher cipher) {
        if (!clientId.equals(command.clientId())) {
            throw Refusal.notFound("referral-not-found", "referralId", "This client has no referral " + referralId + ".");
        }
        if (command.status() == null || !status.next().contains(command.status())) {
            throw Refusal.conflict("illegal-transition", "status",
                                   "A referral that is " + status + " cannot become " + command.status()
                                           + (status.next().isEmpty() ? "; it is closed." : "; it can become "
                                           + status.next().stream().sorted().toList() + "."))
                         .with("currentStatus", status);
        }
        apply(new ReferralStatusChanged(clientId, referralId, status, command.status(),
                                        cipher.seal(clientId, SealedFields.STATUS_NOTE, isBlank(command.note()) ? null : command.note()),
                                        command.at(), command.actor()));
    }

    /**
     * A compliance officer's review of an emergency override: only a referral flagged for review is reviewed, and only
     * once (a second opinion is a note elsewhere, not a second outcome).
     */
    @CommandHandler
    public void handle(ReviewReferral command, FieldCipher cipher) {
        if (!clientId.equals(command.clientId())) {
            throw Refusal.notFound("referral-not-found", "referralId", "This client has no referral " + referralId + ".");
        }
        if (!reviewRequired) {
            throw Refusal.conflict("review-not-required", "referralId",
                                   "Referral " + referralId + " was not issued as an emergency without consent; "
                                           + "there is nothing to review.");
        }
        if (reviewed) {
            throw Refusal.conflict("already-reviewed", "referralId", "Referral " + referralId + " was reviewed "
                    + "already; a review is recorded once.");
        }
        apply(new ReferralReviewed(clientId, referralId, command.outcome(),
                                   cipher.seal(clientId, SealedFields.REVIEW_NOTES,
                                               isBlank(command.notes()) ? null : command.notes()),
                                   command.at(), command.actor()));
    }

    @EventSourcingHandler
    void on(ReferralIssued event) {
        referralId = event.referralId();
        clientId = event.clientId();
        status = ReferralStatus.ISSUED;
        reviewRequired = event.reviewRequired();
    }

    @EventSourcingHandler
    void on(ReferralReviewed event) {
        reviewed = true;
    }

    @EventSourcingHandler
    void on(ReferralStatusChanged event) {
        status = event.to();
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static Recipient sealed(FieldCipher cipher, ClientId clientId, RecipientDetails recipient) {
        return new Recipient(recipient.kind(), recipient.name(), recipient.organisation(),
                             cipher.sealJson(clientId, SealedFields.RECIPIENT_CONTACT, recipient.contact()));
    }
}
