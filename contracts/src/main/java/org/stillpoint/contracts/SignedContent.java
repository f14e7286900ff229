package org.stillpoint.contracts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * What a record's signature covers (DESIGN §4, and the AsyncAPI document): the producing service signs it with ES256
 * and sends the detached JWS (RFC 7515 appendix F) in the {@value #HEADER} header; the {@code kid} names a key of the
 * JWKS the service publishes. The content is a version line, the topic, the key, every CloudEvents attribute of the
 * record in a fixed order and the SHA-256 of its value. Each field is written as its length in bytes, a colon, the
 * bytes and a newline, so no field can borrow from its neighbour; an absent attribute is written as length {@code -1}.
 * The {@code traceparent} header is not covered: it is tracing, not part of the event.
 */
public final class SignedContent {

    public static final String VERSION = "stillpoint-record-signature/1";
    /** The CloudEvents extension carrying the signature. */
    public static final String HEADER = "ce_signature";
    /** The covered headers (CloudEvents attributes of the Kafka binding), in the order they are written. */
    public static final List<String> ATTRIBUTES = List.of("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time",
                                                          "ce_subject", "content-type", "ce_aggregateid",
                                                          "ce_sequence");

    private SignedContent() {
    }

    /** @param header a header's value as text, or null when the record has none of that name */
    public static byte[] of(String topic, String key, Function<String, String> header, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        field(out, VERSION);
        field(out, topic);
        field(out, key);
        for (String attribute : ATTRIBUTES) {
            field(out, header.apply(attribute));
        }
        field(out, Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(value == null ? new byte[0] : value)));
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes("-1:\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.write('\n');
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
