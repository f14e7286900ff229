package org.stillpoint.platform.copy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.stillpoint.platform.axon.EventJson;

import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A service's part of a client's copy, as newline-delimited JSON: a first line saying what the part is and holds
 * ({@code {"part":"sessions","notes":"withheld"}}), then one line per item, in the service's own answer shape, written
 * as the store's cursor yields them — a client with ten thousand sessions is never in memory at once.
 */
public final class CopyPart {

    public static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final ObjectMapper JSON = EventJson.newMapper();

    private CopyPart() {
    }

    /** @param items closed once written, or when the writing fails */
    public static ResponseEntity<StreamingResponseBody> of(Map<String, ?> header, Stream<?> items) {
        StreamingResponseBody body = out -> {
            try (items) {
                line(out, header);
                Iterator<?> each = items.iterator();
                while (each.hasNext()) {
                    line(out, each.next());
                }
            }
        };
        return ResponseEntity.ok().contentType(NDJSON).header("Cache-Control", "no-store").body(body);
    }

    private static void line(OutputStream out, Object value) throws java.io.IOException {
        out.write(JSON.writeValueAsBytes(value));
        out.write('\n');
    }
}
