package org.stillpoint.consent.copy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One form of a client's copy, written as the parts arrive: the consents part first (its first line the client's
 * details), then sessions, referrals, accesses and disclosures, each item once, in the order its service gave them.
 */
interface CopyForm {

    /** A part begins; {@code header} is its first line ({@code {"part":"sessions","notes":"withheld"}}). */
    void part(String part, JsonNode header);

    /** One item of the current part, in its service's own answer shape. */
    void item(String part, JsonNode item);

    /** Every part was written: close the form. */
    void finish();

    /** How many entries (resources, sections) the form holds so far. */
    int count();
}
