package org.stillpoint.contracts.consent;

/** Who gave consent: the client, or a guardian for a minor. */
public enum GrantorKind {
    CLIENT,
    GUARDIAN
}
