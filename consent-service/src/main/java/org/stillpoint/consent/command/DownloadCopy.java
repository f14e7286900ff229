package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.consent.CopyFormat;

import java.time.Instant;
import java.util.UUID;

/** Let the client download their copy once more, in {@code format}: answers how many downloads are left after it. */
public record DownloadCopy(@TargetAggregateIdentifier ClientId clientId, UUID requestId, CopyFormat format, Instant at,
                           Actor actor) {
}
