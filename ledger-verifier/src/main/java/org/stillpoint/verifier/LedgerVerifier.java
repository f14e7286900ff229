package org.stillpoint.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar ledger-verifier.jar <export.json> --jwks <file or URL>}: checks a Stillpoint audit export (JSON,
 * format {@value #FORMAT}; an investigation's export, {@value InvestigationVerifier#FORMAT}, is checked by
 * {@link InvestigationVerifier}) offline, with nothing but the export and the audit-service's published keys. An export that
 * verifies is the export that was made:
 * <ol>
 *   <li>its signature (a JWS of the audit-service, {@value #EXPORT_TYPE}) covers the SHA-256 of the whole export in
 *       canonical JSON ({@link Canonical}) and names its organisation, client and time: any edit of anything a reader
 *       sees — a renamed recipient, a dropped entry, a relabelled client — no longer matches;</li>
 *   <li>the signed checkpoint ({@value #CHECKPOINT_TYPE}) is of the export's organisation and names a Merkle tree head
 *       over the organisation's ledger ({@link MerkleTree});</li>
 *   <li>each of the client's links carries the exact headers and value its event hash covers ({@link EventHash}, in the
 *       encoding the link names), is an event of the client, hashes to its link hash, and is proved part of the signed
 *       tree by its inclusion path;</li>
 *   <li>what a reader sees is bound to those bytes: every timeline entry is a proved link (its type and ledger hash
 *       those of the event) or named as later than the checkpoint; every proved event is in the timeline; every
 *       disclosure is a proved referral, or a proved delivery to the organisation's integrator, with the recipient the
 *       event names, and every proved referral and delivery in the accounting's period is a disclosure; every access
 *       entry is an access event.</li>
 * </ol>
 * Prints {@code VERIFIED} and exits 0, or {@code BROKEN} with the first reason and exits 1; 2 for a usage error.
 */
public final class LedgerVerifier {

    /** The export format this verifier checks. */
    public static final String FORMAT = "stillpoint-audit-export/2";
    private static final String ISSUED = "stillpoint.referral.issued.";
    private static final String DELIVERED = "stillpoint.access.event-delivered.";
    /** The JWS type of a checkpoint. */
    public static final String CHECKPOINT_TYPE = "stillpoint-ledger-checkpoint+jwt";
    /** The JWS type of an export's signature. */
    public static final String EXPORT_TYPE = "stillpoint-audit-export+jwt";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the verifier found.
     *
     * @param links       the client's links proved against the signed tree head
     * @param later       timeline entries later than the checkpoint, vouched for by the export's signature alone
     * @param brokenIndex the link the reason concerns, if any
     */
    public record Result(boolean verified, long links, long later, Long brokenIndex, String brokenEventId,
                         String reason) {

        static Result broken(String reason) {
            return new Result(false, 0, 0, null, null, reason);
        }

        static Result broken(JsonNode link, String reason) {
            return new Result(false, 0, 0, link.path("index").asLong(-1),
                              link.hasNonNull("eventId") ? link.get("eventId").asText() : null, reason);
        }

        @Override
        public String toString() {
            if (verified) {
                return "VERIFIED: " + links + " links proved against the signed checkpoint" + (later == 0 ? ""
                        : "; " + later + " later entries vouched for by the export's signature until the next "
                                + "checkpoint");
            }
            return "BROKEN" + (brokenIndex == null ? "" : " at link " + brokenIndex)
                    + (brokenEventId == null ? "" : " (event " + brokenEventId + ")") + ": " + reason;
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
        String file = Files.readString(Path.of(args[0]));
        JsonNode read = JSON.readTree(file);
        if (read != null && InvestigationVerifier.FORMAT.equals(read.path("format").asText())) {
            InvestigationVerifier.Result result = InvestigationVerifier.verify(read, JWKSet.parse(keys));
            System.out.println(result);
            System.exit(result.verified() ? 0 : 1);
        }
        Result result = verify(file, JWKSet.parse(keys));
        System.out.println(result);
        System.exit(result.verified() ? 0 : 1);
    }

    /** Checks the export against {@code keys}, the audit-service's published keys. */
    public static Result verify(String exportJson, JWKSet keys) throws Exception {
        JsonNode export = JSON.readTree(exportJson);
        if (export == null || !export.isObject()) {
            return Result.broken("the file is not a JSON export");
        }
        if (!FORMAT.equals(export.path("format").asText())) {
            return Result.broken("the export is of format '" + export.path("format").asText("1")
                    + "', which binds nothing but its links; ask for a new JSON export (" + FORMAT + ")");
        }
        String clientId = export.path("clientId").asText();
        String organisation = export.path("organisationId").asText();
        String signature = signature(export, keys, clientId, organisation);
        if (signature != null) {
            return Result.broken(signature);
        }
        JsonNode ledger = export.path("ledger");
        if (!organisation.equals(ledger.path("organisationId").asText())) {
            return Result.broken("the proof is of organisation '" + ledger.path("organisationId").asText()
                    + "', the export of '" + organisation + "'");
        }
        JsonNode checkpoint = ledger.path("checkpoint");
        String signed = checkpoint(checkpoint, organisation, keys);
        if (signed != null) {
            return Result.broken(signed);
        }
        long treeSize = checkpoint.path("treeSize").asLong();
        String treeHead = checkpoint.path("treeHead").asText();

        Map<String, JsonNode> proved = new LinkedHashMap<>();
        Set<Long> indexes = new HashSet<>();
        for (JsonNode link : ledger.path("links")) {
            String reason = link(link, clientId, treeSize, treeHead);
            if (reason != null) {
                return Result.broken(link, reason);
            }
            if (!indexes.add(link.path("index").asLong()) || proved.put(link.path("eventId").asText(), link) != null) {
                return Result.broken(link, "the link appears twice");
            }
        }
        Set<String> later = new HashSet<>();
        ledger.path("after").forEach(id -> later.add(id.asText()));
        String bound = boundToTheLinks(export, proved, later);
        if (bound != null) {
            return Result.broken(bound);
        }
        long laterEntries = 0;
        for (JsonNode entry : export.path("timeline")) {
            if (!proved.containsKey(entry.path("eventId").asText())) {
                laterEntries++;
            }
        }
        return new Result(true, proved.size(), laterEntries, null, null, null);
    }

    /** Why the export's signature does not vouch for the export as it is, or null when it does. */
    private static String signature(JsonNode export, JWKSet keys, String clientId, String organisation)
            throws Exception {
        Signed signed = Signed.of(export, keys, EXPORT_TYPE);
        if (signed.reason() != null) {
            return signed.reason();
        }
        JsonNode statement = signed.statement();
        if (!statement.path("organisation").asText().equals(organisation)) {
            return "the export names organisation '" + organisation + "'; its signature was made for '"
                    + statement.path("organisation").asText() + "'";
        }
        if (!statement.path("client").asText().equals(clientId)) {
            return "the export names client " + clientId + "; its signature was made for client "
                    + statement.path("client").asText();
        }
        if (!statement.path("sha256").asText().equals(signed.digest())
                || !statement.path("exportedAt").asText().equals(export.path("exportedAt").asText())) {
            return "the export was changed after it was signed: its content is not what the signature covers";
        }
        return null;
    }

    /**
     * A file's signature as it stands: the statement it signs and the SHA-256 of the file without it, in canonical
     * JSON; or why there is none to read (missing, another key, another type, not verifying).
     */
    record Signed(JsonNode statement, String digest, String reason) {

        static Signed of(JsonNode export, JWKSet keys, String type) throws Exception {
            if (!export.hasNonNull("signature")) {
                return new Signed(null, null, "the export carries no signature");
            }
            JWSObject jws = JWSObject.parse(export.get("signature").asText());
            String verified = verified(jws, keys, type, "the export's signature");
            if (verified != null) {
                return new Signed(null, null, verified);
            }
            ObjectNode content = ((ObjectNode) export).deepCopy();
            content.remove("signature");
            return new Signed(JSON.readTree(jws.getPayload().toString()),
                              HexFormat.of().formatHex(EventHash.sha256(Canonical.bytes(content))), null);
        }
    }

    /** Why the checkpoint does not vouch for a tree of the organisation's ledger, or null when it does. */
    private static String checkpoint(JsonNode checkpoint, String organisation, JWKSet keys) throws Exception {
        if (!checkpoint.hasNonNull("jws")) {
            return "the export carries no signed checkpoint with a tree head: a compliance officer signs one "
                    + "(POST /api/audit/ledger/checkpoints), then the export is asked for again";
        }
        JWSObject jws = JWSObject.parse(checkpoint.get("jws").asText());
        String verified = verified(jws, keys, CHECKPOINT_TYPE, "the checkpoint");
        if (verified != null) {
            return verified;
        }
        JsonNode statement = JSON.readTree(jws.getPayload().toString());
        if (!statement.path("organisation").asText().equals(organisation)) {
            return "the checkpoint is of organisation " + statement.path("organisation").asText() + ", not "
                    + organisation;
        }
        if (!statement.hasNonNull("treeHead") || statement.path("treeSize").asLong(-1) < 1) {
            return "the checkpoint names no tree head";
        }
        for (String member : List.of("index", "hash", "treeSize", "treeHead")) {
            if (!statement.path(member).asText().equals(checkpoint.path(member).asText())) {
                return "the checkpoint's " + member + " is not the one signed";
            }
        }
        return null;
    }

    static String verified(JWSObject jws, JWKSet keys, String type, String what) throws Exception {
        JWK key = keys.getKeyByKeyId(jws.getHeader().getKeyID());
        if (key == null) {
            return what + " is signed with key " + jws.getHeader().getKeyID() + ", which the keys given do not hold";
        }
        if (jws.getHeader().getType() == null || !type.equals(jws.getHeader().getType().getType())
                || !(key instanceof ECKey ec) || !jws.verify(new ECDSAVerifier(ec))) {
            return what + "'s signature does not verify";
        }
        return null;
    }

    /** Why one of the client's links does not hold, or null when it does. */
    private static String link(JsonNode link, String clientId, long treeSize, String treeHead) {
        String bytes = eventBytes(link);
        if (bytes != null) {
            return bytes;
        }
        String subject = link.path("headers").path("ce_subject").asText(null);
        if (!clientId.equals(subject)) {
            return "the event is of client " + subject + ", not of the export's client " + clientId;
        }
        long index = link.path("index").asLong(-1);
        String hash = EventHash.link(index, link.path("previousHash").asText(), link.path("eventHash").asText());
        if (!hash.equals(link.path("hash").asText())) {
            return "its hash does not match its content";
        }
        if (index < 0 || index >= treeSize) {
            return "the link is not below the signed checkpoint (tree of " + treeSize + ")";
        }
        List<String> path = new ArrayList<>();
        link.path("path").forEach(p -> path.add(p.asText()));
        if (!MerkleTree.includes(index, treeSize, MerkleTree.leaf(hash), path, treeHead)) {
            return "the link is not in the signed tree: its inclusion path does not lead to the tree head";
        }
        return null;
    }

    /**
     * Why a link does not carry the event its event hash covers, or null when it does: its headers (text) and value,
     * an encoding this verifier knows, its event id the event's {@code ce_id}, and the hash of those bytes.
     */
    static String eventBytes(JsonNode link) {
        if (!link.path("headers").isObject() || !link.path("value").isTextual()) {
            return "the link carries no event bytes (headers and value)";
        }
        int version = link.path("hashVersion").asInt(1);
        if (version != 1 && version != 2) {
            return "the link names event hash version " + version + ", which this verifier does not know";
        }
        Map<String, String> headers = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = link.get("headers").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> header = fields.next();
            if (!header.getValue().isTextual()) {
                return "header " + header.getKey() + " is not text";
            }
            headers.put(header.getKey(), header.getValue().asText());
        }
        if (!link.path("eventId").asText().equals(headers.get("ce_id"))) {
            return "the link's event id is not the event's ce_id";
        }
        if (!EventHash.of(version, headers, link.get("value").asText()).equals(link.path("eventHash").asText())) {
            return "the event is not the event that was hashed";
        }
        return null;
    }

    /** Why the sections a reader sees are not what the proved events say, or null when they are. */
    private static String boundToTheLinks(JsonNode export, Map<String, JsonNode> proved, Set<String> later) {
        Set<String> timeline = new HashSet<>();
        for (JsonNode entry : export.path("timeline")) {
            String id = entry.path("eventId").asText();
            timeline.add(id);
            JsonNode link = proved.get(id);
            if (link == null) {
                if (!later.contains(id)) {
                    return "timeline entry " + id + " is neither proved nor named as later than the checkpoint";
                }
                continue;
            }
            if (!entry.path("type").asText().equals(link.path("headers").path("ce_type").asText())) {
                return "timeline entry " + id + " says type " + entry.path("type").asText() + "; the event is "
                        + link.path("headers").path("ce_type").asText();
            }
            if (entry.hasNonNull("ledgerHash") && !entry.get("ledgerHash").asText().equals(link.path("hash").asText())) {
                return "timeline entry " + id + " names another ledger hash than its link";
            }
        }
        for (String id : proved.keySet()) {
            if (!timeline.contains(id)) {
                return "the timeline leaves out event " + id + ", which the ledger proves";
            }
        }
        for (String id : later) {
            if (!timeline.contains(id)) {
                return "event " + id + " is named as later than the checkpoint but is not in the timeline";
            }
        }
        Set<String> disclosed = new HashSet<>();
        for (JsonNode disclosure : export.path("disclosures")) {
            String id = disclosure.path("eventId").asText();
            disclosed.add(id);
            if (!timeline.contains(id)) {
                return "disclosure " + id + " is not an event of the timeline";
            }
            JsonNode link = proved.get(id);
            if (link == null) {
                continue;
            }
            JsonNode event = value(link);
            String type = link.path("headers").path("ce_type").asText();
            if (type.startsWith(DELIVERED)) {
                // an event delivered to the organisation's integrator: the recipient is the webhook the event names
                Map<String, String> named = Map.of("kind", "INTEGRATOR", "name", text(event.path("subscription")),
                                                   "organisation", text(event.path("endpointHost")));
                for (Map.Entry<String, String> member : named.entrySet()) {
                    String shown = text(disclosure.path("recipient").path(member.getKey()));
                    if (!member.getValue().equals(shown)) {
                        return "disclosure " + id + " names recipient " + member.getKey() + " '" + shown
                                + "'; the event names '" + member.getValue() + "'";
                    }
                }
                continue;
            }
            if (!type.startsWith(ISSUED)) {
                return "disclosure " + id + " is neither a referral issued nor an event delivered to an integrator";
            }
            for (String member : List.of("kind", "name", "organisation")) {
                String shown = text(disclosure.path("recipient").path(member));
                String named = text(event.path("recipient").path(member));
                if (!named.equals(shown)) {
                    return "disclosure " + id + " names recipient " + member + " '" + shown + "'; the event names '"
                            + named + "'";
                }
            }
            if (!event.path("referralId").asText().equals(disclosure.path("referralId").asText())) {
                return "disclosure " + id + " names another referral than its event";
            }
        }
        Instant since = export.hasNonNull("disclosuresSince") ? Instant.parse(export.get("disclosuresSince").asText())
                : Instant.MIN;
        for (JsonNode link : proved.values()) {
            JsonNode headers = link.path("headers");
            String type = headers.path("ce_type").asText();
            if ((type.startsWith(ISSUED) || type.startsWith(DELIVERED))
                    && !Instant.parse(headers.path("ce_time").asText()).isBefore(since)
                    && !disclosed.contains(link.path("eventId").asText())) {
                return "the accounting of disclosures leaves out " + (type.startsWith(ISSUED) ? "referral" : "delivery")
                        + " event " + link.path("eventId").asText();
            }
        }
        for (JsonNode access : export.path("accesses")) {
            String id = access.path("eventId").asText();
            if (!timeline.contains(id)) {
                return "access entry " + id + " is not an event of the timeline";
            }
            JsonNode link = proved.get(id);
            if (link != null && !link.path("headers").path("ce_type").asText().startsWith("stillpoint.access.")) {
                return "access entry " + id + " is not an access event";
            }
        }
        return null;
    }

    /** A member's text; absent and null alike are none. */
    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "" : node.asText();
    }

    private static JsonNode value(JsonNode link) {
        try {
            return JSON.readTree(link.path("value").asText());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
