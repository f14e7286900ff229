package org.stillpoint.consent.web;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.stillpoint.consent.web.ClientResponses.Consents;
import org.stillpoint.consent.web.ClientResponses.WithdrawalRecorded;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.security.Caller;

/**
 * The client's own consents (role {@code CLIENT}, DESIGN §7): they read them — boundaries and all, their own words — and
 * withdraw them, recorded with the client as the actor. The client is the one the token's {@code client} claim names.
 */
@RestController
@RequestMapping("/api/me/consents")
public record MeController(ClientAccess access, ClientController clients, ConsentAnswers answers) {

    @GetMapping
    public Consents consents(Caller caller) {
        ClientPlacement self = access.self(caller, AccessAction.READ);
        return answers.consents(self.clientId());
    }

    @PostMapping("/{consentId}/withdrawals")
    public ResponseEntity<WithdrawalRecorded> withdraw(Caller caller, @PathVariable ConsentId consentId,
                                                       @Valid @RequestBody WithdrawConsentRequest request,
                                                       UriComponentsBuilder uri) {
        ClientPlacement self = access.self(caller, AccessAction.WRITE);
        return clients.withdrawFor(caller, self.clientId(), consentId, request,
                                   uri.path("/api/me/consents/{consentId}").build(consentId.toString()));
    }
}
