package org.stillpoint.audit.query;

import java.time.Instant;
import java.util.Locale;

/**
 * Which clients to find in an organisation: by (the start of) their id, their clinic, and who did something about them
 * when; a null field does not filter.
 */
public record ClientSearch(String client, String clinic, String actor, Instant from, Instant to) {

    public ClientSearch {
        client = client == null || client.isBlank() ? null : client.trim().toLowerCase(Locale.ROOT);
        clinic = clinic == null || clinic.isBlank() ? null : clinic.trim().toLowerCase(Locale.ROOT);
        actor = actor == null || actor.isBlank() ? null : actor.trim();
    }

    /** Whether the search names anything about the client's entries (an actor or a period). */
    public boolean byEntries() {
        return actor != null || from != null || to != null;
    }
}
