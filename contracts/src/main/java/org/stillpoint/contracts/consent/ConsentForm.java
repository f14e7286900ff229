package org.stillpoint.contracts.consent;

/**
 * The form text the client saw.
 *
 * @param formId     the form's code, such as {@code cst-ser-adult}
 * @param version    the form's version, such as {@code 2026-03}
 * @param textSha256 the SHA-256 of the exact text shown, as 64 lower-case hex digits
 */
public record ConsentForm(String formId, String version, String textSha256) {
}
