package org.stillpoint.contracts.referral;

/** How soon the recipient should act. */
public enum Urgency {
    ROUTINE,
    URGENT,
    /** May go without information-sharing consent, with a written justification, and is flagged for review. */
    EMERGENCY
}
