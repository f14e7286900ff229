package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;

import java.time.Instant;
import java.util.List;

/**
 * The client moved to another clinic of their organisation (DESIGN §10): from now on they belong to
 * {@code toClinicId}, with the same id, key and history. A consent given at the old clinic does not cover the new one
 * unless it is among {@code carriedOver}, which cover the new clinic from {@code transferredAt} on, each as it stands
 * (its scopes, expiry and later withdrawals).
 *
 * @param carriedOver the consents, given at {@code fromClinicId} and active at the transfer, that now cover the new
 *                    clinic too; the others stay the old clinic's
 * @param reason      why, in the clinic admin's words, sealed: it becomes unreadable with the erasure
 * @param recordedBy  the clinic admin of the sending or the receiving clinic who recorded it
 */
@EventType(name = "stillpoint.consent.client-transferred", revision = 1)
public record ClientTransferred(
        ClientId clientId,
        OrganisationId organisationId,
        ClinicId fromClinicId,
        ClinicId toClinicId,
        List<ConsentId> carriedOver,
        @Sensitive Sealed reason,
        Instant transferredAt,
        Actor recordedBy) implements OrganisationEvent {

    public ClientTransferred {
        carriedOver = carriedOver == null ? List.of() : List.copyOf(carriedOver);
    }
}
