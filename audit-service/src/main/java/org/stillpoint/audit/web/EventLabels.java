package org.stillpoint.audit.web;

import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.access.DeadLetterHandled;
import org.stillpoint.contracts.access.ErasureNoticeRecorded;
import org.stillpoint.contracts.access.EventDelivered;
import org.stillpoint.contracts.access.RecordsListed;
import org.stillpoint.contracts.access.SubscriptionChanged;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ClientTransferred;
import org.stillpoint.contracts.directory.ClinicClosed;
import org.stillpoint.contracts.directory.ClinicOpened;
import org.stillpoint.contracts.directory.ClinicRenamed;
import org.stillpoint.contracts.directory.MembershipEnded;
import org.stillpoint.contracts.directory.MembershipGranted;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.CopyDownloaded;
import org.stillpoint.contracts.consent.CopyNotesDecided;
import org.stillpoint.contracts.consent.CopyNotesReferred;
import org.stillpoint.contracts.consent.CopyProduced;
import org.stillpoint.contracts.consent.CopyRequested;
import org.stillpoint.contracts.consent.ErasureRefused;
import org.stillpoint.contracts.consent.ErasureRequestWithdrawn;
import org.stillpoint.contracts.consent.ErasureRequested;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralIssuedRevision1;
import org.stillpoint.contracts.referral.ReferralReviewed;
import org.stillpoint.contracts.referral.ReferralStatusChanged;
import org.stillpoint.contracts.session.SessionNoteAmended;
import org.stillpoint.contracts.session.SessionNoteRevised;
import org.stillpoint.contracts.session.SessionNoteSigned;
import org.stillpoint.contracts.session.SessionRecorded;

import java.util.Map;

import static java.util.Map.entry;

/** What the console calls each published event type, and each kind of entry. */
final class EventLabels {

    private static final Map<Class<?>, String> TYPES = Map.ofEntries(
            entry(ClientRegistered.class, "Client registered"),
            entry(ClientTransferred.class, "Client moved to another clinic"),
            entry(ClinicOpened.class, "Clinic opened"),
            entry(ClinicRenamed.class, "Clinic renamed"),
            entry(ClinicClosed.class, "Clinic closed"),
            entry(MembershipGranted.class, "Membership granted"),
            entry(MembershipEnded.class, "Membership ended"),
            entry(ConsentGranted.class, "Consent granted"),
            entry(ConsentWithdrawn.class, "Consent withdrawn"),
            entry(ConsentExpired.class, "Consent expired"),
            entry(ErasureRequested.class, "Erasure requested"),
            entry(ErasureRequestWithdrawn.class, "Erasure request withdrawn"),
            entry(ErasureRefused.class, "Erasure refused"),
            entry(ClientErased.class, "Client erased"),
            entry(SessionRecorded.class, "Session recorded"),
            entry(SessionNoteRevised.class, "Session note revised"),
            entry(SessionNoteSigned.class, "Session note signed"),
            entry(SessionNoteAmended.class, "Session note amended"),
            entry(ReferralIssued.class, "Referral issued"),
            entry(ReferralIssuedRevision1.class, "Referral issued"),
            entry(ReferralStatusChanged.class, "Referral status changed"),
            entry(ReferralReviewed.class, "Emergency referral reviewed"),
            entry(ClientAccessed.class, "Record accessed"),
            entry(DeadLetterHandled.class, "Parked record handled"),
            entry(RecordsListed.class, "Clients listed"),
            entry(ErasureNoticeRecorded.class, "Erasure notice recorded"),
            entry(SubscriptionChanged.class, "Webhook subscription changed"),
            entry(EventDelivered.class, "Delivered to a webhook"),
            entry(CopyRequested.class, "Copy of the record requested"),
            entry(CopyNotesReferred.class, "Copy's notes referred to a clinic administrator"),
            entry(CopyNotesDecided.class, "Copy's notes decided"),
            entry(CopyProduced.class, "Copy of the record produced"),
            entry(CopyDownloaded.class, "Copy of the record downloaded"));

    static final Map<String, String> KINDS = Map.of("consent", "Consent", "session", "Session", "referral", "Referral",
                                                     "access", "Access");

    private EventLabels() {
    }

    /** The label of a CloudEvents type; the type itself for one this version does not know. */
    static String of(String ceType) {
        return PublishedTypes.of(ceType).map(TYPES::get).orElse(ceType);
    }

    static String kind(String kind) {
        return KINDS.getOrDefault(kind, kind);
    }
}
