package org.stillpoint.contracts.referral;

/** The kind of professional a referral goes to. */
public enum RecipientKind {
    MEDICAL,
    MENTAL_HEALTH,
    OTHER
}
