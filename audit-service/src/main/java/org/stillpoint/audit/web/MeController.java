package org.stillpoint.audit.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.stillpoint.audit.config.ClientViewProperties;
import org.stillpoint.audit.config.ConsoleProperties;
import org.stillpoint.audit.query.AccessNames;
import org.stillpoint.audit.query.AccessWords;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.audit.query.AuditQueries;
import org.stillpoint.audit.query.ClientHistory;
import org.stillpoint.audit.query.ErasureNotices;
import org.stillpoint.audit.query.Plain;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.contracts.access.EventDelivered;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.security.Caller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
                           ClientViewProperties view, ConsoleProperties console, ErasureNotices notices) {

    /** A delivery of an event of the record to the organisation's integrator: an access, and a disclosure. */
    private static final String DELIVERED = PublishedTypes.typeOf(EventDelivered.class);

    /**
     * One look at the client's record, or one refused attempt.
     *
     * @param outcome {@code ALLOWED}, {@code DENIED} or {@code GONE} (after the erasure: nothing was shown)
     * @param clinics the clinics the reader worked from; empty for an organisation-wide role or another organisation
     * @param person  who looked; absent where the organisation shows role and clinic only
     * @param what    what was looked at, in words ("the session of 3 December 2026")
     */
    record Access(Instant at, String service, String action, String outcome, List<String> clinics, List<String> roles,
                  String person, String what) {
    }

    record Accesses(String clientId, boolean personShown, List<Access> accesses) {
    }

    @GetMapping("/accesses")
    public Accesses accesses(Caller caller) {
        return accessesOf(access.self(caller, AccessAction.READ));
    }

    /** The client's access log, for a caller already let through (their own view). */
    Accesses accessesOf(ClientPlacement self) {
        try (Stream<Access> accesses = accessStream(self)) {
            return new Accesses(self.clientId().toString(), view.showsPerson(self.organisationId()), accesses.toList());
        }
    }

    /**
     * The client's access log as the store's cursor yields it (for their copy too): only the names of the record's
     * parts, which say what each access looked at, are held at once. Close the stream.
     */
    Stream<Access> accessStream(ClientPlacement self) {
        boolean person = view.showsPerson(self.organisationId());
        Map<String, String> names;
        try (Stream<AuditEntry> parts = queries.stream(self.clientId(), "access", true)) {
            names = AccessNames.of(parts.iterator(), console.zone(), json);
        }
        AccessWords words = new AccessWords(console.zone(), names);
        return queries.stream(self.clientId(), "access", false).map(entry -> {
            JsonNode event = payload(entry);
            if (DELIVERED.equals(entry.type())) {
                // the organisation's integrator was sent an event of the record, by webhook
                return new Access(entry.occurredAt(), entry.service(), AccessAction.READ.name(), entry.outcome(),
                                  List.of(), List.of("INTEGRATOR"), person ? entry.actor() : null,
                                  "their record's " + Plain.eventType(event.path("eventType").asText(null))
                                          + ", sent to the organisation's integrator ("
                                          + event.path("subscription").asText() + ")");
            }
            List<String> roles = new ArrayList<>();
            event.path("actorRoles").forEach(role -> roles.add(role.asText()));
            List<String> clinics = entry.clinicId() == null ? List.of() : List.of(entry.clinicId().split(", "));
            return new Access(entry.occurredAt(), entry.service(), event.path("action").asText(), entry.outcome(),
                              clinics, List.copyOf(roles), person ? entry.actor() : null,
                              words.what(event.path("resource").asText(null)));
        });
    }

    @GetMapping("/disclosures")
    public ClientHistory.DisclosuresView disclosures(Caller caller) {
        return disclosuresOf(access.self(caller, AccessAction.READ));
    }

    /**
     * One recipient the client's data was disclosed to and, after the erasure, whether they were told.
     *
     * @param notice after the erasure: "not yet told", "told by letter", "not owed: …"; null before it
     */
    record Recipient(String kind, String name, String organisation, Instant lastDisclosedAt, String notice) {
    }

    record Recipients(String clientId, Instant erasedAt, List<Recipient> recipients) {
    }

    /**
     * Whom the client's data was disclosed to — and, once they are erased, whether each was told of it (GDPR Art. 19,
     * second sentence) — for {@code stillpoint.me.recipients-after-erasure} after the erasure (90 days by default).
     */
    @GetMapping("/recipients")
    public Recipients recipients(Caller caller) {
        ClientPlacement self = access.selfAfterErasure(caller, view.recipientsAfterErasure());
        if (self.erased()) {
            return new Recipients(self.clientId().toString(), self.erasedAt(), notices.ofClient(self.clientId().toString())
                    .stream().map(n -> new Recipient(n.recipientKind(), n.recipientName(), n.recipientOrganisation(),
                                                     n.lastDisclosedAt(), ErasureNotices.words(n.outcome())))
                    .toList());
        }
        Map<String, Recipient> seen = new LinkedHashMap<>();
        for (ClientHistory.DisclosureView d : disclosuresOf(self).disclosures()) {
            seen.merge(d.recipient().kind() + "|" + d.recipient().name() + "|" + d.recipient().organisation(),
                       new Recipient(d.recipient().kind(), d.recipient().name(), d.recipient().organisation(), d.date(),
                                     null),
                       (a, b) -> a.lastDisclosedAt().isAfter(b.lastDisclosedAt()) ? a : b);
        }
        return new Recipients(self.clientId().toString(), null, List.copyOf(seen.values()));
    }

    /**
     * The client's accounting of disclosures, for a caller already let through (their own view, or their copy): from
     * the client's referral entries and the deliveries of their records to the organisation's integrators, the only
     * entries it reads.
     */
    ClientHistory.DisclosuresView disclosuresOf(ClientPlacement self) {
        try (Stream<AuditEntry> referrals = queries.stream(self.clientId(), "referral", false);
             Stream<AuditEntry> deliveries = queries.streamOfType(self.clientId(), DELIVERED)) {
            List<AuditEntry> entries = new ArrayList<>(referrals.toList());
            deliveries.forEach(entries::add);
            return new ClientHistory(queries.client(self.clientId()).orElseThrow(), entries, json)
                    .disclosures(clock.instant());
        }
    }

    private JsonNode payload(AuditEntry entry) {
        try {
            return json.readTree(entry.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
