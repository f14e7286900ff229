package org.stillpoint.consent.copy;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.stillpoint.consent.command.DownloadCopy;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.contracts.consent.CopyFormat;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.command.Commands;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;

import java.time.Clock;
import java.util.UUID;

/**
 * The client downloads their copy (DESIGN §10): as a FHIR R4 bundle ({@code …/bundle}) or as the readable document
 * ({@code …/document}). Each download is counted and recorded ({@code copy-downloaded}) before a byte goes out, and
 * refused once the copy's time or downloads are used up; the read is in the access log like any other.
 */
@RestController
record CopyDownloads(ClientAccess access, Commands commands, CopyStore store, Clock clock) {

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

    private ResponseEntity<StreamingResponseBody> download(Caller caller, UUID requestId, CopyFormat format) {
        ClientPlacement self = access.self(caller, AccessAction.READ);
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
