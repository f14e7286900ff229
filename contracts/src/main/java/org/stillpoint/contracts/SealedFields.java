package org.stillpoint.contracts;

/**
 * The name each sealed field is bound to: with the key reference, the AES-GCM associated data of its ciphertext
 * ({@code <key>|<field>}), so a ciphertext opens only as the field it was sealed for (DESIGN §5).
 */
public final class SealedFields {

    public static final String PERSONAL_DETAILS = "ClientRegistered.personalDetails";
    public static final String GUARDIAN_NAME = "ConsentGranted.grantor.name";
    public static final String WITNESS = "ConsentGranted.witness";
    public static final String BOUNDARIES = "ConsentGranted.boundaries";
    public static final String CONSENT_LATE_ENTRY_REASON = "ConsentGranted.lateEntryReason";
    public static final String WITHDRAWAL_REASON = "ConsentWithdrawn.reason";
    public static final String ERASURE_REASON = "ErasureRequested.reason";
    public static final String TRANSFER_REASON = "ClientTransferred.reason";
    public static final String ERASURE_JUSTIFICATION = "ClientErased.justification";
    public static final String REFERRAL_REASON = "ReferralIssued.reason";
    public static final String EMERGENCY_JUSTIFICATION = "ReferralIssued.emergencyJustification";
    public static final String RECIPIENT_CONTACT = "ReferralIssued.recipient.contact";
    public static final String STATUS_NOTE = "ReferralStatusChanged.note";
    public static final String REVIEW_NOTES = "ReferralReviewed.notes";
    public static final String CLIENT_REPORTED = "SessionNotes.clientReported";
    public static final String OBSERVATIONS = "SessionNotes.observations";
    public static final String TECHNIQUES = "SessionNotes.techniques";
    public static final String CLIENT_RESPONSE = "SessionNotes.clientResponse";
    public static final String PACING_NOTES = "SessionNotes.pacing.notes";
    public static final String RECOMMENDATION_REASON = "SessionNotes.referral.reason";
    public static final String SESSION_LATE_ENTRY_REASON = "SessionRecorded.lateEntryReason";
    public static final String AMENDMENT_TEXT = "SessionNoteAmended.text";
    public static final String AMENDMENT_REASON = "SessionNoteAmended.reason";
    public static final String COPY_NOTES_REASON = "CopyNotesDecided.reason";
    /** A stretch of a client's copy, in either form: stored sealed, never published. */
    public static final String COPY_BUNDLE = "ClientCopy.bundle";
    public static final String COPY_DOCUMENT = "ClientCopy.document";

    private SealedFields() {
    }
}
