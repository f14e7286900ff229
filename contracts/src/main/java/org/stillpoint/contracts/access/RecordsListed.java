package org.stillpoint.contracts.access;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Somebody opened a list of an organisation's clients — the console's client search, the follow-up list of open
 * referrals: one access event for the list, naming every client it showed (ids and what the list shows of them, never
 * their records), instead of a read of each. The search's terms are not kept (they may be personal).
 *
 * @param organisationId the organisation whose clients were listed
 * @param list           which list: {@code client-search}, {@code open-referrals}
 * @param resource       method and path of the request, no query
 * @param clients        the clients the list showed, in its order
 */
@EventType(name = "stillpoint.access.records-listed", revision = 1)
public record RecordsListed(
        OrganisationId organisationId,
        Actor actor,
        OrganisationId actorOrganisationId,
        Set<ClinicId> actorClinics,
        Set<String> actorRoles,
        String list,
        String resource,
        List<ClientId> clients,
        String service,
        Instant at) implements OrganisationEvent {

    public RecordsListed {
        actorClinics = actorClinics == null ? Set.of() : Set.copyOf(actorClinics);
        actorRoles = actorRoles == null ? Set.of() : Set.copyOf(actorRoles);
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    /** A list is about several clients, none of them alone: it is on no client's timeline. */
    @Override
    public ClientId clientId() {
        return null;
    }
}
