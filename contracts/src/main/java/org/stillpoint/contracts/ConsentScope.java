package org.stillpoint.contracts;

/** What a consent covers. Sessions need the modality scopes; referrals that share information need {@link #INFORMATION_SHARING}. */
public enum ConsentScope {
    CRANIOSACRAL_THERAPY,
    SOMATOEMOTIONAL_RELEASE,
    VERBAL_PROCESSING,
    /** Disclosure of information to a referral recipient. */
    INFORMATION_SHARING
}
