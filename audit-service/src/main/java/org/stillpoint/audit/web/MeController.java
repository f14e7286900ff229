package org.stillpoint.audit.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.stillpoint.audit.config.ClientViewProperties;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.audit.query.AuditQueries;
import org.stillpoint.audit.query.ClientHistory;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.security.Caller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the client may know of their own record (role {@code CLIENT}, DESIGN §7): who looked at it — when, from which
 * clinic, in which role, and who (GDPR Art. 15) — and their accounting of disclosures (HIPAA 45 CFR 164.528). Who
 * looked is named by default; an organisation listed in {@code stillpoint.me.accesses-without-person} shows the role
 * and clinic only. These reads are access events too.
 */
@RestController
@RequestMapping("/api/me")
public record MeController(ClientAccess access, AuditQueries queries,
                           @Qualifier("stillpointEventJson") ObjectMapper json, Clock clock,
                           ClientViewProperties view) {

    /** One look at the client's record, or one refused attempt. */
    record Access(Instant at, String service, String action, String outcome, String clinics, List<String> roles,
                  String person) {
    }

    record Accesses(String clientId, boolean personShown, List<Access> accesses) {
    }

    @GetMapping("/accesses")
    public Accesses accesses(Caller caller) {
        ClientPlacement self = access.self(caller, AccessAction.READ);
        boolean person = view.showsPerson(self.organisationId());
        List<Access> accesses = new ArrayList<>();
        for (AuditEntry entry : history(self).accesses()) {
            JsonNode event = payload(entry);
            List<String> roles = new ArrayList<>();
            event.path("actorRoles").forEach(role -> roles.add(role.asText()));
            accesses.add(new Access(entry.occurredAt(), entry.service(), event.path("action").asText(),
                                    entry.outcome(), entry.clinicId(), List.copyOf(roles),
                                    person ? entry.actor() : null));
        }
        return new Accesses(self.clientId().toString(), person, accesses);
    }

    @GetMapping("/disclosures")
    public ClientHistory.DisclosuresView disclosures(Caller caller) {
        ClientPlacement self = access.self(caller, AccessAction.READ);
        return history(self).disclosures(clock.instant());
    }

    private ClientHistory history(ClientPlacement self) {
        return new ClientHistory(queries.client(self.clientId()).orElseThrow(), queries.entries(self.clientId()), json);
    }

    private JsonNode payload(AuditEntry entry) {
        try {
            return json.readTree(entry.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
