package org.stillpoint.security;

/** What a caller may do, from the {@code roles} claim of their token (DESIGN §1). */
public enum Role {
    /** Records consent, sessions and referrals for clients of their own clinics. */
    PRACTITIONER,
    /** Everything a practitioner can, for their clinics, plus referral follow-up. */
    CLINIC_ADMIN,
    /** Reads across the organisation; writes nothing. */
    COMPLIANCE_OFFICER,
    /** Subscribes to event streams; reaches no REST endpoint with client data. */
    INTEGRATOR,
    /** Keeps the suite running: dead letters, lag, health; reaches no client's record. */
    OPERATOR,
    /**
     * Keeps the organisation's directory (directory-service): opens, renames and closes its clinics, grants and ends
     * memberships; reaches no client's record.
     */
    ORGANISATION_ADMIN,
    /**
     * The person the records are about, named by the token's {@code client} claim: reaches their own record under
     * {@code /api/me/…} and nothing else.
     */
    CLIENT
}
