package org.stillpoint.contracts;

/** What a consent covers. Sessions need the modality scopes; referrals that share information need {@link #INFORMATION_SHARING}. */
public enum ConsentScope {
    CRANIOSACRAL_THERAPY,
    SOMATOEMOTIONAL_RELEASE,
    VERBAL_PROCESSING,
    /** Disclosure of information to a referral recipient. */
    INFORMATION_SHARING,
    /**
     * Read access to the client's record for another clinic of their organisation: a consent of this scope alone,
     * given at the clinic it lets read (DESIGN §10). Withdrawn, it ends that clinic's reads at once.
     */
    CLINIC_SHARING
}
