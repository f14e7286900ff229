package org.stillpoint.consent.copy;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.stillpoint.consent.command.DownloadCopy;
import org.stillpoint.consent.query.CopyRequestView;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.contracts.consent.CopyChannel;
import org.stillpoint.contracts.consent.CopyFormat;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.command.Commands;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.time.Clock;
import java.util.UUID;

/**
 * The client downloads their copy (DESIGN §10): as a FHIR R4 bundle ({@code …/bundle}) or as the readable document
 * ({@code …/document}); a copy asked for on paper, the clinic administrator who hands it over. Each download is counted and recorded ({@code copy-downloaded}) before a byte goes out, and
 * refused once the copy's time or downloads are used up; the read is in the access log like any other.
 */
@RestController
record CopyDownloads(ClientAccess access, Commands commands, CopyStore store, MongoTemplate mongo, Clock clock) {

    /** The readable document: no script runs in it, nothing is fetched from elsewhere. */
    static final String DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    @GetMapping("/api/me/copy-requests/{requestId}/bundle")
    public ResponseEntity<StreamingResponseBody> bundle(Caller caller, @PathVariable UUID requestId) {
        return download(caller, requestId, CopyFormat.FHIR_BUNDLE);
    }

    @GetMapping("/api/me/copy-requests/{requestId}/document")
    public ResponseEntity<StreamingResponseBody> document(Caller caller, @PathVariable UUID requestId) {
        return download(caller, requestId, CopyFormat.DOCUMENT);
    }

    /**
     * A copy asked for on paper is handed over by the clinic: a clinic administrator of the client's clinic downloads it
     * to print or send, counted like the client's own downloads. A copy the client asked for in their view is theirs
     * alone to download ({@code 403 copy-asked-in-client-view}).
     */
    @GetMapping("/api/clients/{clientId}/copy-requests/{requestId}/bundle")
    public ResponseEntity<StreamingResponseBody> bundleOnPaper(Caller caller, @PathVariable ClientId clientId,
                                                               @PathVariable UUID requestId) {
        return download(caller, onPaper(caller, clientId, requestId), requestId, CopyFormat.FHIR_BUNDLE);
    }

    @GetMapping("/api/clients/{clientId}/copy-requests/{requestId}/document")
    public ResponseEntity<StreamingResponseBody> documentOnPaper(Caller caller, @PathVariable ClientId clientId,
                                                                 @PathVariable UUID requestId) {
        return download(caller, onPaper(caller, clientId, requestId), requestId, CopyFormat.DOCUMENT);
    }

    private ClientPlacement onPaper(Caller caller, ClientId clientId, UUID requestId) {
        ClientAccess.requireAny(caller, "downloading a copy asked for on paper (clinic administrators)",
                                Role.CLINIC_ADMIN);
        ClientPlacement placement = access.read(caller, clientId);
        CopyRequestView request = mongo.findById(requestId.toString(), CopyRequestView.class);
        if (request == null || !request.clientId().equals(clientId.toString())) {
            throw Refusal.notFound("copy-request-not-found", "requestId", "This client has no copy " + requestId + ".");
        }
        if (!CopyChannel.ON_PAPER.name().equals(request.channel())) {
            throw Refusal.forbidden("copy-asked-in-client-view", "requestId", "The client asked for this copy in their "
                    + "own view: only they download it.");
        }
        return placement;
    }

    private ResponseEntity<StreamingResponseBody> download(Caller caller, UUID requestId, CopyFormat format) {
        return download(caller, access.self(caller, AccessAction.READ), requestId, format);
    }

    private ResponseEntity<StreamingResponseBody> download(Caller caller, ClientPlacement self, UUID requestId,
                                                           CopyFormat format) {
        int left = commands.<Integer>send(new DownloadCopy(self.clientId(), requestId, format, clock.instant(),
                                                           caller.actor())).result();
        CopyStore.CopyFile file = store.file(requestId.toString())
                                       .filter(f -> f.clientId().equals(self.clientId().toString()))
                                       .orElseThrow(() -> Refusal.notFound("copy-request-not-found", "requestId",
                                                                           "This client has no copy " + requestId + "."));
        boolean bundle = format == CopyFormat.FHIR_BUNDLE;
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(bundle ? MediaType.parseMediaType("application/fhir+json;charset=UTF-8")
                                      : MediaType.parseMediaType("text/html;charset=UTF-8"));
        headers.setContentDisposition(ContentDisposition.attachment()
                                                        .filename("record-" + requestId + (bundle ? ".fhir.json" : ".html"))
                                                        .build());
        headers.setCacheControl("no-store");
        headers.set("Copy-Downloads-Left", String.valueOf(left));
        headers.set("Digest-SHA-256", bundle ? file.bundleSha256() : file.documentSha256());
        if (!bundle) {
            headers.set("Content-Security-Policy", DOCUMENT_POLICY);
        }
        return ResponseEntity.ok().headers(headers).body(out -> store.write(file, format, out));
    }
}
