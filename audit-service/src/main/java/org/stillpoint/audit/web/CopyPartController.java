package org.stillpoint.audit.web;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.stillpoint.audit.config.ClientViewProperties;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.copy.CopyGrants;
import org.stillpoint.platform.copy.CopyPart;

import java.util.Map;
import java.util.UUID;

/**
 * The audit's parts of a client's copy (DESIGN §10), for consent-service holding a grant for it: who looked at the
 * record and their accounting of disclosures, as the client's own view shows them ({@link MeController}). Built from
 * the store's cursor: the accesses one at a time, the disclosures from the client's referral entries.
 */
@RestController
record CopyPartController(CopyGrants grants, ClientAccess access, MeController me, ClientViewProperties view) {

    @GetMapping("/copies/{requestId}/accesses")
    public ResponseEntity<StreamingResponseBody> accesses(@PathVariable UUID requestId,
                                                          @RequestHeader(name = CopyGrants.HEADER, required = false)
                                                          String grant) {
        ClientPlacement self = self(grant, requestId);
        return CopyPart.of(Map.of("part", "accesses", "personShown", view.showsPerson(self.organisationId())),
                           me.accessStream(self));
    }

    @GetMapping("/copies/{requestId}/disclosures")
    public ResponseEntity<StreamingResponseBody> disclosures(@PathVariable UUID requestId,
                                                             @RequestHeader(name = CopyGrants.HEADER, required = false)
                                                             String grant) {
        var disclosures = me.disclosuresOf(self(grant, requestId));
        return CopyPart.of(Map.of("part", "disclosures", "since", disclosures.since().toString()),
                           disclosures.disclosures().stream());
    }

    private ClientPlacement self(String grant, UUID requestId) {
        return grants.read(grant, requestId, access).client();
    }
}
