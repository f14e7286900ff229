package org.stillpoint.session.web;

import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.session.Modality;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The JSON the session endpoints answer with. */
final class SessionResponses {

    private SessionResponses() {
    }

    record SessionCreated(String sessionId, boolean lateEntry, Instant startedAt, Instant recordedAt,
                          List<ConsentReliance> consents) {
    }

    /** A note opened for the caller; fields are null where nothing was written or the client's data was erased. */
    record Note(String clientReported, String observations, String techniques, String clientResponse,
                Integer pauses, boolean stopSignalUsed, String pacingNotes, boolean referralRecommended,
                String referralReason) {
    }

    record Draft(Note note, Instant replacedAt, String replacedBy) {
    }

    record Amendment(int number, String section, String text, String reason, Instant at, String by) {
    }

    record Session(String sessionId, String clientId, String clinicId, String practitioner, Instant startedAt,
                   int durationMinutes, Set<Modality> modalities, String status, Note note, List<Draft> drafts,
                   Instant signedAt, String signedBy, List<Amendment> amendments, List<ConsentReliance> consents,
                   long consentViewSequence, boolean lateEntry, String lateEntryReason, Instant recordedAt,
                   String recordedBy) {
    }

    record Sessions(String clientId, List<Session> sessions) {
    }
}
