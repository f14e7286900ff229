package org.stillpoint.consent.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;

/**
 * A client's request for a copy of their record, as asked ({@code stillpoint.consent.copy-requested}).
 *
 * @param channel {@code CLIENT_VIEW} or {@code ON_PAPER}
 * @param status  {@code REQUESTED} until the copy is produced
 */
@Document(CopyRequestView.COLLECTION)
public record CopyRequestView(@Id String requestId, @Indexed String clientId, String organisationId, String clinicId,
                              String channel, Instant receivedAt, Instant dueBy, Instant recordedAt, String recordedBy,
                              String status) {

    public static final String COLLECTION = "copy_requests";
}
