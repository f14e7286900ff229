package org.stillpoint.verifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The hashes of the audit's ledger, as the audit computes them and the verifier recomputes them; hex, lower case.
 * <ul>
 *   <li><b>Event hash, version 2</b> (every link written since it was introduced): SHA-256 over the UTF-8 bytes of
 *       {@code stillpoint-event/2\n}, then for each header but {@code ce_signature} and {@code ce_signatureproof},
 *       sorted by name, {@code <length of name>:<name><length of value>:<value>}, then {@code \n}, then
 *       {@code <length of value>:<value>} for the event's value. Lengths are decimal counts of UTF-8 bytes, so no
 *       header can be re-split into others with the same hash.</li>
 *   <li><b>Event hash, version 1</b> (links written before; they still verify under it): SHA-256 over each header but
 *       the two above, sorted by name, as {@code name=value\n}, then {@code \n}, then the value. Ambiguous — a value
 *       holding {@code \n} and {@code =} re-splits — which is why it is no longer written.</li>
 *   <li><b>Link hash</b>: SHA-256 over {@code index:previousHash:eventHash}.</li>
 * </ul>
 * The signature headers are left out: they attest the content rather than being part of it, and a publisher's retry of
 * the same event signs it anew.
 */
public final class EventHash {

    /** The version every new link is hashed with. */
    public static final int CURRENT = 2;
    private static final Set<String> UNHASHED = Set.of("ce_signature", "ce_signatureproof");

    private EventHash() {
    }

    /** The event hash of {@code version} (1 or 2; 0 or absent means 1, as stored before versions were named). */
    public static String of(int version, Map<String, String> headers, String value) {
        return switch (version) {
            case 0, 1 -> v1(headers, value);
            case 2 -> v2(headers, value);
            default -> throw new IllegalArgumentException("no event hash of version " + version);
        };
    }

    static String v1(Map<String, String> headers, String value) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(headers).forEach((name, v) -> {
            if (!UNHASHED.contains(name)) {
                text.append(name).append('=').append(v).append('\n');
            }
        });
        return sha256(text.append('\n').append(value).toString());
    }

    static String v2(Map<String, String> headers, String value) {
        StringBuilder text = new StringBuilder("stillpoint-event/2\n");
        new TreeMap<>(headers).forEach((name, v) -> {
            if (!UNHASHED.contains(name)) {
                prefixed(text, name);
                prefixed(text, v);
            }
        });
        prefixed(text.append('\n'), value);
        return sha256(text.toString());
    }

    private static void prefixed(StringBuilder text, String part) {
        text.append(part.getBytes(StandardCharsets.UTF_8).length).append(':').append(part);
    }

    public static String link(long index, String previousHash, String eventHash) {
        return sha256(index + ":" + previousHash + ":" + eventHash);
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
