package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.consent.CopyNotes;

import java.time.Instant;
import java.util.UUID;

/** Record that the copy a client asked for is produced and stored, sealed: the request is answered. */
public record RecordCopyProduced(@TargetAggregateIdentifier ClientId clientId, UUID requestId, Instant producedAt,
                                 Instant availableUntil, int downloadsAllowed, CopyNotes notes, int resources,
                                 String bundleSha256, String documentSha256) {
}
