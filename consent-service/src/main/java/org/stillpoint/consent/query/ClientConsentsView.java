package org.stillpoint.consent.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.stillpoint.contracts.Sealed;

import java.time.Instant;
import java.util.List;

/**
 * A client and their consents, one document per client, rebuilt from the client's events alone.
 *
 * @param lastSequence the client's last event applied; events at or below it are duplicates and change nothing
 * @param erasedAt     when the client was erased: then the personal data is gone from here; null while not
 */
@Document(ClientConsentsView.COLLECTION)
public record ClientConsentsView(@Id String clientId, String organisationId, String clinicId, Sealed personalDetails,
                                 Instant registeredAt, String registeredBy, long lastSequence,
                                 List<ConsentView> consents, Instant erasedAt) {

    public static final String COLLECTION = "client_consents";
}
