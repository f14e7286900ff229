package org.stillpoint.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWKSet;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks an investigation's export ({@value #FORMAT}) offline: that it is the export that was made, that the stretch of
 * the organisation's ledger it carries is a piece of the signed chain holding every access of the window, and that the
 * report's counts are what that stretch says.
 * <ol>
 *   <li>its signature ({@value #EXPORT_TYPE}) covers the SHA-256 of the export in canonical JSON and names its
 *       organisation, actor and window;</li>
 *   <li>the closing checkpoint (and the opening one, when there is one) is a signed checkpoint of the organisation, the
 *       opening signed at or before the window opened: an event created in the window was linked after it;</li>
 *   <li>the links follow each other without a gap from the one after the opening checkpoint's (the chain's first when
 *       there is none) — each event's bytes hash to its event hash, each link's hash is its index, previous hash and
 *       event hash — and the last is the closing checkpoint's head; with no closing checkpoint yet, the links after the
 *       opening one are vouched for by the export's signature alone, and the verifier says so;</li>
 *   <li>the actor's access events of the window among those links, recounted per client (reads allowed, refused, gone,
 *       and lists), are the report's clients and counts, no more and no fewer; the events the export names as having
 *       reached the audit after the closing checkpoint are not in the stretch and not counted.</li>
 * </ol>
 * What it cannot see: whether the actor had a care relationship with a client (that is read from the clients'
 * timelines, not carried), and an access that reached the audit after the export was made.
 */
public final class InvestigationVerifier {

    /** The export format this verifier checks. */
    public static final String FORMAT = "stillpoint-investigation-export/1";
    /** The JWS type of the export's signature. */
    public static final String EXPORT_TYPE = "stillpoint-investigation-export+jwt";
    private static final String GENESIS = "0".repeat(64);
    private static final String ACCESSED = "stillpoint.access.client-accessed.";
    private static final String LISTED = "stillpoint.access.records-listed.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the verifier found.
     *
     * @param links    the links of the stretch checked
     * @param accesses the actor's access events of the window found in them
     * @param clients  the clients they reached
     * @param anchored whether the stretch ends at a signed checkpoint (else it ends at the head the export saw)
     */
    public record Result(boolean verified, long links, long accesses, long clients, boolean anchored, Long brokenIndex,
                         String reason) {

        static Result broken(String reason) {
            return new Result(false, 0, 0, 0, false, null, reason);
        }

        static Result broken(long index, String reason) {
            return new Result(false, 0, 0, 0, false, index, reason);
        }

        @Override
        public String toString() {
            if (verified) {
                return "VERIFIED: " + accesses + " access event" + (accesses == 1 ? "" : "s")
                        + " of the actor in the window, reaching " + clients + " client" + (clients == 1 ? "" : "s")
                        + ", found in " + links + " links of the organisation's ledger"
                        + (anchored ? " between two signed checkpoints"
                        : "; no checkpoint was signed after the window closed, so the last links are vouched for by"
                                + " the export's signature alone");
            }
            return "BROKEN" + (brokenIndex == null ? "" : " at link " + brokenIndex) + ": " + reason;
        }
    }

    private InvestigationVerifier() {
    }

    /** Checks the investigation export against {@code keys}, the audit-service's published keys. */
    public static Result verify(JsonNode export, JWKSet keys) throws Exception {
        if (!FORMAT.equals(export.path("format").asText())) {
            return Result.broken("the file is not an investigation export (" + FORMAT + ")");
        }
        String organisation = export.path("organisationId").asText();
        String actor = export.path("actor").asText();
        Instant from = Instant.parse(export.path("from").asText());
        Instant to = Instant.parse(export.path("to").asText());
        String signature = signature(export, keys, organisation, actor);
        if (signature != null) {
            return Result.broken(signature);
        }
        JsonNode ledger = export.path("ledger");
        if (!organisation.equals(ledger.path("organisationId").asText())) {
            return Result.broken("the ledger carried is of organisation '" + ledger.path("organisationId").asText()
                    + "', the investigation of '" + organisation + "'");
        }
        JsonNode opening = ledger.path("opening");
        JsonNode closing = ledger.path("closing");
        for (JsonNode checkpoint : List.of(opening, closing)) {
            if (checkpoint.isObject()) {
                String reason = checkpoint(checkpoint, organisation, keys);
                if (reason != null) {
                    return Result.broken(reason);
                }
            }
        }
        if (opening.isObject() && Instant.parse(opening.path("at").asText()).isAfter(from)) {
            return Result.broken("the opening checkpoint was signed after the window opened: accesses of the window "
                    + "may be in the links before it");
        }
        if (closing.isObject() && Instant.parse(closing.path("at").asText()).isBefore(to)) {
            return Result.broken("the closing checkpoint was signed before the window closed");
        }

        long expected = opening.isObject() ? opening.path("index").asLong() + 1 : 0;
        String previous = opening.isObject() ? opening.path("hash").asText() : GENESIS;
        long count = 0;
        Map<String, int[]> counted = new TreeMap<>();
        long accesses = 0;
        Set<String> notCovered = new HashSet<>();
        export.path("notCovered").forEach(id -> notCovered.add(id.asText()));
        for (JsonNode link : ledger.path("links")) {
            long index = link.path("index").asLong(-1);
            if (index != expected) {
                return Result.broken(index, "the links do not follow each other: link " + expected + " is missing");
            }
            String reason = link(link, previous);
            if (reason != null) {
                return Result.broken(index, reason);
            }
            if (notCovered.contains(link.path("eventId").asText())) {
                return Result.broken(index, "the export names event " + link.path("eventId").asText()
                        + " as reaching the audit after the stretch, but the stretch holds it");
            }
            accesses += count(link, organisation, actor, from, to, counted);
            previous = link.path("hash").asText();
            expected++;
            count++;
        }
        if (closing.isObject() && (expected - 1 != closing.path("index").asLong()
                || !previous.equals(closing.path("hash").asText()))) {
            return Result.broken("the links do not end at the closing checkpoint's head (link "
                    + closing.path("index").asLong() + ")");
        }
        String recount = recount(export.path("investigation"), counted, accesses);
        if (recount != null) {
            return Result.broken(recount);
        }
        return new Result(true, count, accesses, counted.size(), closing.isObject(), null, null);
    }

    /** Why the export's signature does not vouch for it as it is, or null when it does. */
    private static String signature(JsonNode export, JWKSet keys, String organisation, String actor) throws Exception {
        LedgerVerifier.Signed signed = LedgerVerifier.Signed.of(export, keys, EXPORT_TYPE);
        if (signed.reason() != null) {
            return signed.reason();
        }
        JsonNode statement = signed.statement();
        if (!statement.path("organisation").asText().equals(organisation)
                || !statement.path("actor").asText().equals(actor)) {
            return "the export names organisation '" + organisation + "' and actor '" + actor
                    + "'; its signature was made for '" + statement.path("organisation").asText() + "' and '"
                    + statement.path("actor").asText() + "'";
        }
        for (String member : List.of("from", "to", "exportedAt")) {
            if (!statement.path(member).asText().equals(export.path(member).asText())) {
                return "the export's " + member + " is not the one signed";
            }
        }
        if (!statement.path("sha256").asText().equals(signed.digest())) {
            return "the export was changed after it was signed: its content is not what the signature covers";
        }
        return null;
    }

    /** Why a checkpoint is not a signed checkpoint of the organisation as carried, or null when it is. */
    private static String checkpoint(JsonNode checkpoint, String organisation, JWKSet keys) throws Exception {
        if (!checkpoint.hasNonNull("jws")) {
            return "a checkpoint carries no signature";
        }
        JWSObject jws = JWSObject.parse(checkpoint.get("jws").asText());
        String verified = LedgerVerifier.verified(jws, keys, LedgerVerifier.CHECKPOINT_TYPE, "a checkpoint");
        if (verified != null) {
            return verified;
        }
        JsonNode statement = JSON.readTree(jws.getPayload().toString());
        if (!statement.path("organisation").asText().equals(organisation)) {
            return "a checkpoint is of organisation " + statement.path("organisation").asText() + ", not "
                    + organisation;
        }
        for (String member : List.of("index", "hash", "at")) {
            if (!statement.path(member).asText().equals(checkpoint.path(member).asText())) {
                return "a checkpoint's " + member + " is not the one signed";
            }
        }
        return null;
    }

    /** Why a link is not the event it carries or does not follow {@code previous}, or null when it holds. */
    private static String link(JsonNode link, String previous) {
        String bytes = LedgerVerifier.eventBytes(link);
        if (bytes != null) {
            return bytes;
        }
        if (!previous.equals(link.path("previousHash").asText())) {
            return "its previous hash is not the hash of the link before";
        }
        String hash = EventHash.link(link.path("index").asLong(), previous, link.path("eventHash").asText());
        if (!hash.equals(link.path("hash").asText())) {
            return "its hash does not match its content";
        }
        return null;
    }

    /**
     * Counts the link when it is an access event of the actor in the window: per client, reads allowed, refused, gone
     * and lists ({@code counted}); 1 when it is one, else 0.
     */
    private static int count(JsonNode link, String organisation, String actor, Instant from, Instant to,
                             Map<String, int[]> counted) throws Exception {
        String type = link.path("headers").path("ce_type").asText();
        if (!type.startsWith(ACCESSED) && !type.startsWith(LISTED)) {
            return 0;
        }
        JsonNode event = JSON.readTree(link.path("value").asText());
        if (!actor.equals(event.path("actor").path("subject").asText()) || !event.hasNonNull("at")) {
            return 0;
        }
        Instant at = Instant.parse(event.get("at").asText());
        if (at.isBefore(from) || !at.isBefore(to) || !organisation.equals(event.path("organisationId").asText())) {
            return 0;
        }
        if (type.startsWith(LISTED)) {
            event.path("clients").forEach(client -> counted.computeIfAbsent(client.asText(), c -> new int[4])[3]++);
            return 1;
        }
        int[] counts = counted.computeIfAbsent(event.path("clientId").asText(), c -> new int[4]);
        switch (event.path("outcome").asText()) {
            case "DENIED" -> counts[1]++;
            case "GONE" -> counts[2]++;
            default -> counts[0]++;
        }
        return 1;
    }

    /** Why the report's clients and counts are not what the links say, or null when they are. */
    private static String recount(JsonNode report, Map<String, int[]> counted, long accesses) {
        Set<String> reported = new HashSet<>();
        for (JsonNode client : report.path("clients")) {
            String id = client.path("clientId").asText();
            reported.add(id);
            int[] found = counted.get(id);
            if (found == null) {
                return "the report names client " + id + ", whom no access event of the actor in the window reached";
            }
            int[] said = {client.path("allowed").asInt(), client.path("refused").asInt(), client.path("gone").asInt(),
                    client.path("listed").asInt()};
            if (!Arrays.equals(found, said)) {
                return "the report's counts for client " + id + " (allowed, refused, gone, listed) are "
                        + Arrays.toString(said) + "; the ledger's access events say "
                        + Arrays.toString(found);
            }
        }
        for (String id : counted.keySet()) {
            if (!reported.contains(id)) {
                return "the report leaves out client " + id + ", whom an access event of the actor in the window reached";
            }
        }
        if (report.path("clientsAffected").asLong(-1) != counted.size()) {
            return "the report says " + report.path("clientsAffected").asText() + " clients affected; the ledger's "
                    + "access events reach " + counted.size();
        }
        if (report.path("accesses").asLong(-1) != accesses) {
            return "the report counts " + report.path("accesses").asText() + " accesses; the ledger holds " + accesses
                    + " access events of the actor in the window";
        }
        return null;
    }
}
