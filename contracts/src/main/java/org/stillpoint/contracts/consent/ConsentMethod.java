package org.stillpoint.contracts.consent;

/** How consent was given. A verbal consent needs a witness. */
public enum ConsentMethod {
    WRITTEN,
    ELECTRONIC,
    VERBAL_WITNESSED
}
