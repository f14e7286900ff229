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
 * @param transfers    the client's moves between the organisation's clinics, oldest first
 */
@Document(ClientConsentsView.COLLECTION)
public record ClientConsentsView(@Id String clientId, String organisationId, String clinicId, Sealed personalDetails,
                                 Instant registeredAt, String registeredBy, long lastSequence,
                                 List<ConsentView> consents, Instant erasedAt, List<TransferView> transfers) {

    public static final String COLLECTION = "client_consents";

    public ClientConsentsView {
        transfers = transfers == null ? List.of() : List.copyOf(transfers);
    }

    /**
     * A move to another clinic.
     *
     * @param carriedOver the consents that cover the new clinic from {@code at} on
     */
    public record TransferView(String fromClinicId, String toClinicId, List<String> carriedOver, Instant at,
                               String recordedBy, String eventId) {
    }

    /** The clinics a consent covers now: where it was given, and each clinic it was carried over to. */
    public List<String> clinicsOf(ConsentView consent) {
        List<String> clinics = new java.util.ArrayList<>(List.of(consent.clinicId()));
        transfers.stream().filter(t -> t.carriedOver().contains(consent.consentId()))
                 .map(TransferView::toClinicId).filter(c -> !clinics.contains(c)).forEach(clinics::add);
        return clinics;
    }
}
