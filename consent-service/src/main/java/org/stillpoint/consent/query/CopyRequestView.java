package org.stillpoint.consent.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import org.stillpoint.contracts.Sealed;

import java.time.Instant;

/**
 * A client's request for a copy of their record, as asked ({@code stillpoint.consent.copy-requested}).
 *
 * @param channel        {@code CLIENT_VIEW} or {@code ON_PAPER}
 * @param status         {@code REQUESTED} until the copy is {@code PRODUCED}; {@code ERASED} with the client
 * @param downloadsLeft  once produced, how many more downloads it allows
 * @param notes          once produced, what it holds of the session notes ({@code SHOWN}, {@code RELEASED},
 *                       {@code WITHHELD})
 * @param notesDecision  where the organisation does not show notes to clients: {@code REFERRED} to a clinic
 *                       administrator, then {@code RELEASED} or {@code DENIED} with {@code notesReason} (sealed)
 */
@Document(CopyRequestView.COLLECTION)
public record CopyRequestView(@Id String requestId, @Indexed String clientId, String organisationId, String clinicId,
                              String channel, Instant receivedAt, Instant dueBy, Instant recordedAt, String recordedBy,
                              @Indexed String status, Instant producedAt, Instant availableUntil, Integer downloadsLeft,
                              String notes, String bundleSha256, String notesDecision, Sealed notesReason,
                              Instant notesDecidedAt, String notesDecidedBy) {

    public static final String COLLECTION = "copy_requests";
    public static final String REQUESTED = "REQUESTED";
    public static final String PRODUCED = "PRODUCED";
    public static final String AWAITING_NOTES_DECISION = "AWAITING_NOTES_DECISION";
    public static final String ERASED = "ERASED";
}
