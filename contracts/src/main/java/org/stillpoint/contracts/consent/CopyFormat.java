package org.stillpoint.contracts.consent;

/** The forms a client's copy is downloaded in. */
public enum CopyFormat {
    /** A FHIR R4 {@code collection} Bundle, for a machine (GDPR Art. 20: structured, commonly used, machine-readable). */
    FHIR_BUNDLE,
    /** The same record as a document in HTML, for a person. */
    DOCUMENT
}
