package org.stillpoint.audit.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.access.RecordsListed;

import java.time.Instant;
import java.util.List;

/**
 * A list of an organisation's clients somebody opened ({@code stillpoint.access.records-listed}), as the audit indexes it
 * for investigations by actor: on no client's timeline (a list is about several clients, none alone), but one access of
 * each client it showed.
 *
 * @param eventId the event's id, the document's
 * @param list    which list: {@code client-search}, {@code open-referrals}, {@code investigation}
 * @param clients the clients the list showed
 */
@Document(ClientList.COLLECTION)
@CompoundIndex(name = "by-actor", def = "{'actor': 1, 'occurredAt': 1}")
public record ClientList(@Id String eventId, String organisationId, String actor, Instant occurredAt, String list,
                         String service, List<String> clients) {

    public static final String COLLECTION = "audit_lists";

    public ClientList {
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    public static ClientList of(String eventId, RecordsListed listed) {
        return new ClientList(eventId, listed.organisationId() == null ? null : listed.organisationId().toString(),
                              listed.actor() == null ? null : listed.actor().subject(), listed.at(), listed.list(),
                              listed.service(), listed.clients().stream().map(ClientId::toString).toList());
    }
}
