package org.stillpoint.consent.query;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.access.ClientPlacement;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads of the consent read models; also the directory of where each client belongs, and which other clinics they
 * let read their record now.
 */
@Component
public record ConsentQueries(MongoTemplate mongo, Clock clock) implements ClientDirectory {

    public Optional<ClientConsentsView> client(ClientId clientId) {
        return Optional.ofNullable(mongo.findById(clientId.toString(), ClientConsentsView.class));
    }

    @Override
    public Optional<ClientPlacement> find(ClientId clientId) {
        Instant now = clock.instant();
        return client(clientId).map(c -> new ClientPlacement(
                clientId, OrganisationId.of(c.organisationId()), ClinicId.of(c.clinicId()), c.erasedAt(),
                c.consents().stream()
                 .filter(consent -> ConsentView.ACTIVE.equals(consent.statusAt(now))
                         && consent.activeScopes().contains(ConsentScope.CLINIC_SHARING))
                 .map(consent -> ClinicId.of(consent.clinicId())).collect(Collectors.toSet())));
    }

    /** Active consents whose expiry has come; the collection holds only consents with an expiry that are still active. */
    public List<ConsentExpiry> dueExpiries(Instant now) {
        return mongo.findAll(ConsentExpiry.class).stream()
                    .filter(e -> !now.isBefore(e.expiresAt()))
                    .toList();
    }
}
