package org.stillpoint.contracts.referral;

/** What a compliance officer found of an emergency referral issued without information-sharing consent. */
public enum ReviewOutcome {
    /** The emergency justified sharing without consent. */
    APPROPRIATE,
    /** It did not: the disclosure is a finding the organisation follows up. */
    NOT_APPROPRIATE
}
