package org.stillpoint.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code java -jar ledger-verifier.jar <export.json> --jwks <file or URL>}: checks a Stillpoint audit export (JSON)
 * offline, with nothing but the export and the audit-service's published keys. It recomputes every link the export
 * carries — the event hash from the exact headers and value of each of the client's events, each link's hash from its
 * index, the previous hash and the event hash, each link chained to the one before — and checks the signed checkpoint
 * at the end of the links: its JWS against the keys, its statement against the last link. Prints {@code VERIFIED} and
 * exits 0, or names the first broken link and exits 1; 2 for a usage error.
 * <p>
 * The hashes, as the audit computes them: an event's hash is SHA-256 over each header but {@code ce_signature} and
 * {@code ce_signatureproof}, sorted by name, as {@code name=value\n}, then {@code \n}, then the value; a link's hash is
 * SHA-256 over {@code index:previousHash:eventHash}; hex, lower case.
 */
public final class LedgerVerifier {

    /** The JWS type of a checkpoint. */
    public static final String CHECKPOINT_TYPE = "stillpoint-ledger-checkpoint+jwt";

    /** What the verifier found: verified, or the first link that does not hold and why. */
    public record Result(boolean verified, long links, Long brokenIndex, String brokenEventId, String reason) {

        static Result broken(long links, long index, String eventId, String reason) {
            return new Result(false, links, index, eventId, reason);
        }

        @Override
        public String toString() {
            return verified ? "VERIFIED: " + links + " links, up to the signed checkpoint"
                    : "BROKEN at link " + brokenIndex + (brokenEventId == null ? "" : " (event " + brokenEventId + ")")
                            + ": " + reason;
        }
    }

    private LedgerVerifier() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !args[1].equals("--jwks")) {
            System.err.println("usage: java -jar ledger-verifier.jar <export.json> --jwks <jwks.json or its URL>");
            System.exit(2);
        }
        String keys = args[2].startsWith("http://") || args[2].startsWith("https://")
                ? new String(URI.create(args[2]).toURL().openStream().readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(args[2]));
        Result result = verify(Files.readString(Path.of(args[0])), JWKSet.parse(keys));
        System.out.println(result);
        System.exit(result.verified() ? 0 : 1);
    }

    /** Checks the export's {@code ledger} section against {@code keys}. */
    public static Result verify(String exportJson, JWKSet keys) throws Exception {
        JsonNode ledger = new ObjectMapper().readTree(exportJson).path("ledger");
        JsonNode links = ledger.path("links");
        if (!links.isArray() || links.isEmpty()) {
            return Result.broken(0, -1, null, "the export carries no ledger links");
        }
        String previous = null;
        long expectedIndex = -1;
        JsonNode last = null;
        for (JsonNode link : links) {
            long index = link.path("index").asLong(-1);
            String eventId = link.hasNonNull("eventId") ? link.get("eventId").asText() : null;
            if (expectedIndex >= 0 && index != expectedIndex) {
                return Result.broken(links.size(), expectedIndex, null, "link " + expectedIndex + " is missing");
            }
            if (previous != null && !previous.equals(link.path("previousHash").asText())) {
                return Result.broken(links.size(), index, eventId, "its previous hash is not the hash of link "
                        + (index - 1));
            }
            if (link.has("value")) {
                String eventHash = eventHash(link.path("headers"), link.path("value").asText());
                if (!eventHash.equals(link.path("eventHash").asText())) {
                    return Result.broken(links.size(), index, eventId, "the event is not the event that was hashed");
                }
            }
            String hash = sha256(index + ":" + link.path("previousHash").asText() + ":" + link.path("eventHash").asText());
            if (!hash.equals(link.path("hash").asText())) {
                return Result.broken(links.size(), index, eventId, "its hash does not match its content");
            }
            previous = hash;
            expectedIndex = index + 1;
            last = link;
        }
        String checkpoint = checkpoint(ledger.path("checkpoint"), ledger.path("organisationId").asText(), last, keys);
        if (checkpoint != null) {
            return Result.broken(links.size(), last.path("index").asLong(), null, checkpoint);
        }
        return new Result(true, links.size(), null, null, null);
    }

    /** Why the checkpoint does not vouch for the last link, or null when it does. */
    private static String checkpoint(JsonNode checkpoint, String organisation, JsonNode last, JWKSet keys)
            throws Exception {
        if (!checkpoint.hasNonNull("jws")) {
            return "the export carries no signed checkpoint";
        }
        JWSObject jws = JWSObject.parse(checkpoint.get("jws").asText());
        JWK key = keys.getKeyByKeyId(jws.getHeader().getKeyID());
        if (key == null) {
            return "the checkpoint is signed with key " + jws.getHeader().getKeyID() + ", which the keys given do not hold";
        }
        if (jws.getHeader().getType() == null || !CHECKPOINT_TYPE.equals(jws.getHeader().getType().getType())
                || !jws.verify(new ECDSAVerifier((ECKey) key))) {
            return "the checkpoint's signature does not verify";
        }
        JsonNode statement = new ObjectMapper().readTree(jws.getPayload().toString());
        if (!statement.path("organisation").asText().equals(organisation)) {
            return "the checkpoint is of organisation " + statement.path("organisation").asText() + ", not "
                    + organisation;
        }
        if (statement.path("index").asLong(-1) != last.path("index").asLong()
                || !statement.path("hash").asText().equals(last.path("hash").asText())) {
            return "the signed checkpoint is link " + statement.path("index").asLong() + " with hash "
                    + statement.path("hash").asText() + "; the export's last link is "
                    + last.path("index").asLong() + " with hash " + last.path("hash").asText();
        }
        return null;
    }

    static String eventHash(JsonNode headers, String value) throws Exception {
        Map<String, String> sorted = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = headers.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> header = fields.next();
            if (!header.getKey().equals("ce_signature") && !header.getKey().equals("ce_signatureproof")) {
                sorted.put(header.getKey(), header.getValue().asText());
            }
        }
        StringBuilder text = new StringBuilder();
        sorted.forEach((name, v) -> text.append(name).append('=').append(v).append('\n'));
        return sha256(text.append('\n').append(value).toString());
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
