package org.stillpoint.session.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.session.Modality;
import org.stillpoint.contracts.session.SessionNotes;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A session and its note as recorded, one document per session; free text stays sealed here and is opened only when
 * answering a caller.
 *
 * @param notes        the current note (the draft, or the note as signed)
 * @param drafts       earlier drafts replaced before signing, oldest first
 * @param lastSequence the session's last event applied; events at or below it are duplicates
 */
@Document(SessionView.COLLECTION)
public record SessionView(@Id String sessionId, @Indexed String clientId, String clinicId, String practitioner,
                          Instant startedAt, int durationMinutes, Set<Modality> modalities, SessionNotes notes,
                          List<Draft> drafts, String status, Instant signedAt, String signedBy,
                          List<Amendment> amendments, List<ConsentReliance> consents, long consentViewSequence,
                          boolean lateEntry, Sealed lateEntryReason, Instant recordedAt, String recordedBy,
                          long lastSequence) {

    public static final String COLLECTION = "client_sessions";
    public static final String DRAFT = "DRAFT";
    public static final String SIGNED = "SIGNED";

    /** A note as it stood before a revision. */
    public record Draft(SessionNotes notes, Instant replacedAt, String replacedBy) {
    }

    public record Amendment(int number, String section, Sealed text, Sealed reason, Instant at, String by) {
    }
}
