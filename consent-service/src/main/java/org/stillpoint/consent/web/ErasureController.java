package org.stillpoint.consent.web;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.stillpoint.consent.command.ApproveErasure;
import org.stillpoint.consent.command.ErasureDecision;
import org.stillpoint.consent.command.RequestErasure;
import org.stillpoint.consent.command.WithdrawErasureRequest;
import org.stillpoint.consent.config.ErasureProperties;
import org.stillpoint.consent.query.ClientConsentsProjection;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.command.Accepted;
import org.stillpoint.platform.command.ReadYourWrites;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.net.URI;
import java.time.Clock;
import java.util.UUID;

/**
 * Erasure by crypto-shredding (DESIGN §6b), with dual control: a clinic administrator of the client's clinic requests
 * it, a compliance officer of the organisation other than the requester approves it, and the approval executes it —
 * unless the organisation's retention rule still keeps the records and no legal override is named.
 */
@RestController
@RequestMapping("/api/clients/{clientId}/erasure-requests")
record ErasureController(ReadYourWrites writes, ClientAccess access, ConsentAnswers answers,
                         ErasureProperties retention, Clock clock) {

    @PostMapping
    public ResponseEntity<ErasureRequests.Created> request(Caller caller, @PathVariable ClientId clientId,
                                                           @Valid @RequestBody ErasureRequests.Create request,
                                                           UriComponentsBuilder uri) {
        ClientAccess.requireAny(caller, "requesting an erasure (clinic administrators)", Role.CLINIC_ADMIN);
        access.write(caller, clientId);
        UUID requestId = UUID.randomUUID();
        URI location = uri.path("/api/clients/{id}/erasure-requests/{requestId}")
                          .build(clientId.toString(), requestId.toString());
        return writes.write(new RequestErasure(clientId, requestId, request.legalBasis().strip(), request.reason(),
                                               clock.instant(), caller.actor()),
                            ClientConsentsProjection.PROCESSOR, clientId, location)
                     .createdFrom(stored -> new ErasureRequests.Created(requestId.toString(), stored.sequence()));
    }

    @PostMapping("/{requestId}/withdrawal")
    public ResponseEntity<ErasureRequests.Withdrawn> withdraw(Caller caller, @PathVariable ClientId clientId,
                                                              @PathVariable UUID requestId, UriComponentsBuilder uri) {
        ClientAccess.requireAny(caller, "withdrawing an erasure request (clinic administrators)", Role.CLINIC_ADMIN);
        access.write(caller, clientId);
        URI location = uri.path("/api/clients/{id}/erasure-requests/{requestId}")
                          .build(clientId.toString(), requestId.toString());
        return writes.write(new WithdrawErasureRequest(clientId, requestId, clock.instant(), caller.actor()),
                            ClientConsentsProjection.PROCESSOR, clientId, location)
                     .createdFrom(stored -> new ErasureRequests.Withdrawn(requestId.toString(), stored.sequence()));
    }

    /** Approves and executes the request: {@code 201} once the client is erased here; other services follow. */
    @PostMapping("/{requestId}/approval")
    public ResponseEntity<ErasureRequests.Erased> approve(Caller caller, @PathVariable ClientId clientId,
                                                          @PathVariable UUID requestId,
                                                          @Valid @RequestBody ErasureRequests.Approval approval,
                                                          UriComponentsBuilder uri) {
        ClientPlacement placement = access.officerAct(caller, clientId);
        String override = approval.legalOverride() == null || approval.legalOverride().isBlank() ? null
                : approval.legalOverride().strip();
        URI location = uri.path("/api/clients/{id}/erasure-requests/{requestId}")
                          .build(clientId.toString(), requestId.toString());
        Accepted<ErasureDecision> accepted = writes.write(
                new ApproveErasure(clientId, requestId, approval.justification(), override,
                                   retention.retentionOf(placement.organisationId()), clock.instant(), caller.actor()),
                ClientConsentsProjection.PROCESSOR, clientId, location).send();
        ErasureDecision decision = accepted.result();
        if (!decision.erased()) {
            throw Refusal.conflict("retention-period", "legalOverride", "The records of client " + clientId
                    + " must be kept until " + decision.keptUntil() + " (" + decision.rule() + "); approve with a "
                    + "legalOverride naming the legal ground to erase them earlier. The refusal is recorded.")
                         .with("rule", decision.rule()).with("keptUntil", decision.keptUntil());
        }
        return ResponseEntity.created(location).body(answers.erased(clientId, requestId));
    }
}
