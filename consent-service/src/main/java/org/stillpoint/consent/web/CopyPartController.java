package org.stillpoint.consent.web;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.copy.CopyGrants;
import org.stillpoint.platform.copy.CopyPart;

import java.util.Map;
import java.util.UUID;

/**
 * The consents part of a client's copy (DESIGN §10), fetched by this service's copy producer under a grant like every
 * other part: the client's details in the first line, then every consent with its versions, form, method, grantor,
 * witness, boundaries and history.
 */
@RestController
record CopyPartController(CopyGrants grants, ClientAccess access, ConsentAnswers answers) {

    @GetMapping("/copies/{requestId}/consents")
    public ResponseEntity<StreamingResponseBody> consents(@PathVariable UUID requestId,
                                                          @RequestHeader(name = CopyGrants.HEADER, required = false)
                                                          String grant) {
        ClientId client = grants.read(grant, requestId, access).client().clientId();
        return CopyPart.of(Map.of("part", "consents", "client", answers.client(client)),
                           answers.consents(client).consents().stream());
    }
}
