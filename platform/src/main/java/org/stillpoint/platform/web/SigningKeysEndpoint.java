package org.stillpoint.platform.web;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.Map;
import org.stillpoint.platform.record.RecordSigner;

/** The service's public signing keys, for every consumer of its records: {@code GET /.well-known/jwks.json}. */
@RestController
public record SigningKeysEndpoint(RecordSigner signer) {

    @GetMapping(value = "/.well-known/jwks.json", produces = "application/jwk-set+json")
    public ResponseEntity<Map<String, Object>> keys() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)))
                             .contentType(MediaType.parseMediaType("application/jwk-set+json"))
                             .body(signer.jwks().toJSONObject(true));
    }
}
