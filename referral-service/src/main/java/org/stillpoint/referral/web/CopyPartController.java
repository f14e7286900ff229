package org.stillpoint.referral.web;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.copy.CopyGrants;
import org.stillpoint.platform.copy.CopyPart;

import java.util.Map;
import java.util.UUID;

/**
 * The referrals part of a client's copy (DESIGN §10), for consent-service holding a grant for it: every referral with
 * its recipient, reason, shared categories, emergency justification and review, and its status history.
 */
@RestController
record CopyPartController(CopyGrants grants, ClientAccess access, ReferralAnswers answers) {

    @GetMapping("/copies/{requestId}/referrals")
    public ResponseEntity<StreamingResponseBody> referrals(@PathVariable UUID requestId,
                                                           @RequestHeader(name = CopyGrants.HEADER, required = false)
                                                           String grant) {
        return CopyPart.of(Map.of("part", "referrals"),
                           answers.forCopy(grants.read(grant, requestId, access).client().clientId()));
    }
}
