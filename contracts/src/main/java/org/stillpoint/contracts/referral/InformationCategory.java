package org.stillpoint.contracts.referral;

/** A category of the client's information a referral discloses to its recipient. */
public enum InformationCategory {
    /** Name, date of birth, contact details. */
    DEMOGRAPHICS,
    /** The client's consents and their history. */
    CONSENT_RECORD,
    /** Dates, modalities and a summary of sessions. */
    SESSION_SUMMARIES,
    /** Session notes in full. */
    SESSION_NOTES,
    /** Why the referral is made. */
    REFERRAL_REASON
}
