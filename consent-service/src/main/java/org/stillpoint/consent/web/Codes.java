package org.stillpoint.consent.web;

/** Validation patterns shared by the request bodies. */
final class Codes {

    static final String CODE = "[a-z0-9][a-z0-9-]{0,62}";
    static final String CODE_MESSAGE = "must be 1-63 lower-case letters, digits or dashes";
    static final String SHA256 = "[0-9a-f]{64}";

    private Codes() {
    }
}
