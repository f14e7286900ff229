package org.stillpoint.consent.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.stillpoint.consent.command.DecideCopyNotes;
import org.stillpoint.consent.command.RequestCopy;
import org.stillpoint.consent.config.CopyProperties;
import org.stillpoint.consent.query.ClientConsentsProjection;
import org.stillpoint.consent.query.CopyRequestView;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.contracts.consent.CopyChannel;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.command.ReadYourWrites;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * A client's request for a copy of their record is a record (HIPAA 164.524, GDPR Art. 15 and 20): asked in their own view
 * ({@code POST /api/me/copy-requests}), or made on paper and recorded by a clinic administrator of the client's clinic
 * ({@code POST /api/clients/{id}/copy-requests}, with the day it was received); due by the organisation's time limit
 * after it was received ({@code stillpoint.copies}). One is open at a time.
 */
@RestController
record CopyRequestController(ReadYourWrites writes, ClientAccess access, CopyProperties limits, MongoTemplate mongo,
                             Clock clock) {

    /** A request made on paper: the day the organisation received it. */
    public record OnPaper(@NotNull LocalDate receivedOn) {
    }

    public record Requested(String requestId, Instant receivedAt, Instant dueBy, long sequence) {
    }

    /**
     * A clinic administrator's decision on the session notes of a copy: released, or not — with the reason the copy
     * states to the client.
     */
    public record NotesDecision(@NotNull Boolean release, @Size(max = 2000) String reason) {
    }

    public record NotesDecided(String requestId, boolean released, long sequence) {
    }

    /**
     * A request and, once its copy is produced, until when and how many more times it can be downloaded, its SHA-256
     * and where (for the client: {@code bundle} and {@code document} under the request).
     *
     * @param notes what the copy holds of the session notes: {@code SHOWN}, {@code RELEASED} or {@code WITHHELD}
     */
    public record CopyRequest(String requestId, String channel, Instant receivedAt, Instant dueBy, String status,
                              Instant producedAt, Instant availableUntil, Integer downloadsLeft, String notes,
                              String bundleSha256, Downloads downloads) {

        /**
         * @param own whether the client reads it (their downloads under {@code /api/me}); staff see where to download a
         *            copy asked for on paper, which the clinic hands over
         */
        static CopyRequest of(CopyRequestView v, boolean own) {
            boolean ready = CopyRequestView.PRODUCED.equals(v.status());
            boolean onPaper = CopyChannel.ON_PAPER.name().equals(v.channel());
            String at = own ? "/api/me/copy-requests/" + v.requestId()
                    : "/api/clients/" + v.clientId() + "/copy-requests/" + v.requestId();
            return new CopyRequest(v.requestId(), v.channel(), v.receivedAt(), v.dueBy(), v.status(), v.producedAt(),
                                   v.availableUntil(), v.downloadsLeft(), v.notes(), v.bundleSha256(),
                                   ready && (own || onPaper) ? new Downloads(at + "/bundle", at + "/document") : null);
        }
    }

    /** Where the client downloads their copy: the FHIR R4 bundle and the readable document. */
    public record Downloads(String bundle, String document) {
    }

    public record CopyRequests(String clientId, List<CopyRequest> requests) {
    }

    @PostMapping("/api/me/copy-requests")
    public ResponseEntity<Requested> ask(Caller caller, UriComponentsBuilder uri) {
        ClientPlacement self = access.self(caller, AccessAction.WRITE);
        return request(caller, self, CopyChannel.CLIENT_VIEW, clock.instant(),
                       uri.path("/api/me/copy-requests/{requestId}"));
    }

    @GetMapping("/api/me/copy-requests")
    public CopyRequests mine(Caller caller) {
        return requestsOf(access.self(caller, AccessAction.READ).clientId(), true);
    }

    @PostMapping("/api/clients/{clientId}/copy-requests")
    public ResponseEntity<Requested> onPaper(Caller caller, @PathVariable ClientId clientId,
                                             @Valid @RequestBody OnPaper request, UriComponentsBuilder uri) {
        ClientAccess.requireAny(caller, "recording a request for a copy (clinic administrators)", Role.CLINIC_ADMIN);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (request.receivedOn().isAfter(today) || request.receivedOn().isBefore(today.minusYears(1))) {
            throw Refusal.invalid("invalid-request", "receivedOn", "receivedOn is the day the request was received: "
                    + "today or a day of the past year.");
        }
        ClientPlacement placement = access.write(caller, clientId);
        return request(caller, placement, CopyChannel.ON_PAPER, request.receivedOn().atStartOfDay(ZoneOffset.UTC)
                                                                        .toInstant(),
                       uri.path("/api/clients/{clientId}/copy-requests/{requestId}"));
    }

    /**
     * Where the organisation does not show session notes to clients, a request awaits a clinic administrator of the
     * client's clinic ({@code AWAITING_NOTES_DECISION}), who releases the notes for this copy or records why not.
     */
    @PostMapping("/api/clients/{clientId}/copy-requests/{requestId}/notes-decision")
    public ResponseEntity<NotesDecided> decideNotes(Caller caller, @PathVariable ClientId clientId,
                                                    @PathVariable UUID requestId,
                                                    @Valid @RequestBody NotesDecision decision,
                                                    UriComponentsBuilder uri) {
        ClientAccess.requireAny(caller, "deciding on the notes of a copy (clinic administrators)", Role.CLINIC_ADMIN);
        ClientPlacement placement = access.write(caller, clientId);
        return writes.write(new DecideCopyNotes(placement.clientId(), requestId, decision.release(),
                                                decision.release() ? null : decision.reason(),
                                                clock.instant(), caller.actor()),
                            ClientConsentsProjection.PROCESSOR, placement.clientId(),
                            uri.path("/api/clients/{clientId}/copy-requests").build(clientId.toString()))
                     .createdFrom(stored -> new NotesDecided(requestId.toString(), decision.release(),
                                                             stored.sequence()));
    }

    @GetMapping("/api/clients/{clientId}/copy-requests")
    public CopyRequests ofClient(Caller caller, @PathVariable ClientId clientId) {
        access.read(caller, clientId);
        return requestsOf(clientId, false);
    }

    private ResponseEntity<Requested> request(Caller caller, ClientPlacement client, CopyChannel channel,
                                              Instant receivedAt, UriComponentsBuilder location) {
        UUID requestId = UUID.randomUUID();
        Instant dueBy = receivedAt.atZone(ZoneOffset.UTC).plus(limits.dueWithinOf(client.organisationId())).toInstant();
        URI at = channel == CopyChannel.CLIENT_VIEW ? location.build(requestId.toString())
                : location.build(client.clientId().toString(), requestId.toString());
        return writes.write(new RequestCopy(client.clientId(), requestId, channel, receivedAt, dueBy, clock.instant(),
                                            caller.actor()), ClientConsentsProjection.PROCESSOR, client.clientId(), at)
                     .createdFrom(stored -> new Requested(requestId.toString(), receivedAt, dueBy, stored.sequence()));
    }

    private CopyRequests requestsOf(ClientId clientId, boolean own) {
        return new CopyRequests(clientId.toString(), mongo.find(
                Query.query(Criteria.where("clientId").is(clientId.toString())).with(Sort.by("receivedAt")),
                CopyRequestView.class).stream().map(v -> CopyRequest.of(v, own)).toList());
    }
}
