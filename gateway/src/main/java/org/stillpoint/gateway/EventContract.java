package org.stillpoint.gateway;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The event contract for integrators, beside the OpenAPI documents: {@code GET /asyncapi.yaml} and the JSON Schemas it
 * refers to by relative paths, {@code GET /schemas/<name>.json}, so a tool given the gateway's address resolves every
 * reference. Both come from the {@code contracts} jar; they are the same files the services are built against.
 */
@RestController
class EventContract {

    private static final Pattern SCHEMA = Pattern.compile("[a-z0-9.-]+");
    private static final CacheControl CACHE = CacheControl.maxAge(Duration.ofMinutes(5));

    @GetMapping("/asyncapi.yaml")
    ResponseEntity<byte[]> document() throws IOException {
        return ResponseEntity.ok().cacheControl(CACHE).contentType(MediaType.parseMediaType("application/yaml"))
                             .body(new ClassPathResource("asyncapi.yaml").getContentAsByteArray());
    }

    @GetMapping("/schemas/{name}.json")
    ResponseEntity<byte[]> schema(@PathVariable String name) throws IOException {
        ClassPathResource schema = new ClassPathResource("schemas/" + name + ".json");
        if (!SCHEMA.matcher(name).matches() || name.contains("..") || !schema.exists()) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().cacheControl(CACHE).contentType(MediaType.parseMediaType("application/schema+json"))
                             .body(schema.getContentAsByteArray());
    }
}
