package org.stillpoint.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An investigation's export verifies only as made: a stretch of the chain cut short, a dropped or altered access event,
 * a report that leaves a client out or counts one too few — each is refused with its reason, even when whoever edited
 * it signed the file again with the audit's key (the counts are checked against the links, the links against the
 * signed checkpoints).
 */
class InvestigationVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORGANISATION = "stillwater";
    private static final String ANNA = "11111111-1111-1111-1111-111111111111";
    private static final String BEN = "22222222-2222-2222-2222-222222222222";
    private static final String CARA = "33333333-3333-3333-3333-333333333333";
    private static TestKeys key;
    private static JWKSet keys;
    private static ObjectNode genuine;

    /**
     * Links 0–9 of the organisation: checkpoint A over 0–2 signed before the window, B over 0–9 after it. In between, mo
     * reads Anna twice (once refused), Ben once, lists Ben and Cara; a read by pat and one of mo outside the window.
     */
    @BeforeAll
    static void anInvestigationOfMoBetweenTwoCheckpoints() throws Exception {
        key = new TestKeys();
        keys = key.published();
        List<ObjectNode> links = new ArrayList<>();
        String previous = "0".repeat(64);
        List<String> values = List.of(
                "{}", "{}", "{}",
                read("mo", ANNA, "ALLOWED", "2026-11-02T10:00:00Z"),
                read("mo", ANNA, "DENIED", "2026-11-02T10:05:00Z"),
                "{}",
                read("pat", ANNA, "ALLOWED", "2026-11-03T10:00:00Z"),
                read("mo", BEN, "ALLOWED", "2026-11-04T10:00:00Z"),
                "{\"organisationId\":\"stillwater\",\"actor\":{\"subject\":\"mo\"},\"list\":\"client-search\","
                        + "\"clients\":[\"" + BEN + "\",\"" + CARA + "\"],\"at\":\"2026-11-05T10:00:00Z\"}",
                read("mo", CARA, "ALLOWED", "2026-12-02T10:00:00Z"));
        for (int i = 0; i < values.size(); i++) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("ce_id", "event-" + i);
            headers.put("ce_type", i == 8 ? "stillpoint.access.records-listed.v1"
                    : values.get(i).equals("{}") ? "stillpoint.session.recorded.v1" : "stillpoint.access.client-accessed.v1");
            headers.put("ce_time", "2026-11-0" + (i % 9 + 1) + "T10:00:00Z");
            String eventHash = EventHash.of(2, headers, values.get(i));
            String hash = EventHash.link(i, previous, eventHash);
            ObjectNode link = JSON.createObjectNode().put("index", i).put("eventId", "event-" + i).put("hashVersion", 2)
                                  .put("value", values.get(i)).put("eventHash", eventHash)
                                  .put("previousHash", previous).put("hash", hash);
            link.set("headers", JSON.valueToTree(headers));
            links.add(link);
            previous = hash;
        }
        ObjectNode export = JSON.createObjectNode().put("format", InvestigationVerifier.FORMAT)
                                .put("organisationId", ORGANISATION).put("actor", "mo")
                                .put("from", "2026-11-01T00:00:00Z").put("to", "2026-12-01T00:00:00Z")
                                .put("exportedAt", "2026-12-06T12:00:00Z");
        ObjectNode report = export.putObject("investigation").put("clientsAffected", 3).put("accesses", 4);
        ArrayNode clients = report.putArray("clients");
        clients.addObject().put("clientId", ANNA).put("allowed", 1).put("refused", 1).put("gone", 0).put("listed", 0);
        clients.addObject().put("clientId", BEN).put("allowed", 1).put("refused", 0).put("gone", 0).put("listed", 1);
        clients.addObject().put("clientId", CARA).put("allowed", 0).put("refused", 0).put("gone", 0).put("listed", 1);
        export.putArray("notCovered");
        ObjectNode ledger = export.putObject("ledger").put("organisationId", ORGANISATION);
        ledger.set("opening", checkpoint(2, links.get(2).path("hash").asText(), "2026-10-31T23:00:00Z"));
        ledger.set("closing", checkpoint(9, links.get(9).path("hash").asText(), "2026-12-06T11:00:00Z"));
        ArrayNode carried = ledger.putArray("links");
        links.subList(3, 10).forEach(carried::add);
        genuine = signed(export);
    }

    @Test
    void theExportAsMadeVerifiesAndRecountsTheReport() throws Exception {
        InvestigationVerifier.Result result = InvestigationVerifier.verify(genuine, keys);
        assertThat(result.verified()).as(result.toString()).isTrue();
        assertThat(result.links()).isEqualTo(7);
        assertThat(result.accesses()).isEqualTo(4);
        assertThat(result.clients()).isEqualTo(3);
        assertThat(result.toString()).startsWith("VERIFIED: 4 access events").contains("between two signed checkpoints");
    }

    @Test
    void anExportWithoutAClosingCheckpointVerifiesAndSaysWhatVouchesForItsEnd() throws Exception {
        InvestigationVerifier.Result result = InvestigationVerifier.verify(
                resigned(e -> ((ObjectNode) e.get("ledger")).putNull("closing")), keys);
        assertThat(result.verified()).as(result.toString()).isTrue();
        assertThat(result.toString()).contains("vouched for by the export's signature alone");
    }

    @Test
    void everyEditIsRefusedSignedAgainOrNot() throws Exception {
        assertBroken(edited(e -> ((ObjectNode) e.at("/investigation/clients/0")).put("refused", 0)),
                     "changed after it was signed");
        assertBroken(edited(e -> ((ObjectNode) e).put("actor", "pat")), "its signature was made for");
        // signed again by whoever holds the key: the counts are the links', the links the checkpoints'
        assertBroken(resigned(e -> ((ArrayNode) e.at("/investigation/clients")).remove(2)), "leaves out client " + CARA);
        assertBroken(resigned(e -> ((ObjectNode) e.at("/investigation/clients/0")).put("refused", 0)),
                     "counts for client " + ANNA);
        assertBroken(resigned(e -> ((ObjectNode) e.get("investigation")).put("accesses", 3)), "counts 3 accesses");
        assertBroken(resigned(e -> ((ArrayNode) e.at("/ledger/links")).remove(1)), "link 4 is missing");
        assertBroken(resigned(e -> {
            ArrayNode links = (ArrayNode) e.at("/ledger/links");
            links.remove(links.size() - 1);
        }), "do not end at the closing checkpoint");
        assertBroken(resigned(e -> ((ObjectNode) e.at("/ledger/links/0")).put("value",
                read("pat", ANNA, "ALLOWED", "2026-11-02T10:00:00Z"))), "not the event that was hashed");
        assertBroken(resigned(e -> ((ObjectNode) e).put("from", "2026-10-01T00:00:00Z")),
                     "opening checkpoint was signed after the window opened");
        assertBroken(resigned(e -> ((ArrayNode) e.get("notCovered")).add("event-7")), "but the stretch holds it");
        JWKSet others = TestKeys.another();
        assertThat(InvestigationVerifier.verify(genuine, others).reason()).contains("signature does not verify");
    }

    private static String read(String actor, String client, String outcome, String at) {
        return "{\"clientId\":\"" + client + "\",\"organisationId\":\"stillwater\",\"actor\":{\"subject\":\"" + actor
                + "\"},\"outcome\":\"" + outcome + "\",\"at\":\"" + at + "\"}";
    }

    private static void assertBroken(JsonNode export, String reason) throws Exception {
        InvestigationVerifier.Result result = InvestigationVerifier.verify(export, keys);
        assertThat(result.verified()).as(result.toString()).isFalse();
        assertThat(result.toString()).startsWith("BROKEN").contains(reason);
    }

    private static JsonNode edited(Consumer<JsonNode> edit) {
        ObjectNode copy = genuine.deepCopy();
        edit.accept(copy);
        return copy;
    }

    private static JsonNode resigned(Consumer<JsonNode> edit) throws Exception {
        ObjectNode copy = genuine.deepCopy();
        copy.remove("signature");
        edit.accept(copy);
        return signed(copy);
    }

    private static ObjectNode checkpoint(long index, String hash, String at) throws Exception {
        ObjectNode statement = JSON.createObjectNode().put("organisation", ORGANISATION).put("index", index)
                                   .put("hash", hash).put("at", at);
        return JSON.createObjectNode().put("index", index).put("hash", hash).put("at", at)
                   .put("jws", jws(LedgerVerifier.CHECKPOINT_TYPE, statement));
    }

    private static ObjectNode signed(ObjectNode export) throws Exception {
        ObjectNode statement = JSON.createObjectNode().put("format", InvestigationVerifier.FORMAT)
                                   .put("organisation", export.path("organisationId").asText())
                                   .put("actor", export.path("actor").asText())
                                   .put("from", export.path("from").asText()).put("to", export.path("to").asText())
                                   .put("exportedAt", export.path("exportedAt").asText())
                                   .put("sha256", HexFormat.of().formatHex(EventHash.sha256(Canonical.bytes(export))));
        ObjectNode signed = export.deepCopy();
        signed.put("signature", jws(InvestigationVerifier.EXPORT_TYPE, statement));
        return signed;
    }

    private static String jws(String type, JsonNode statement) throws Exception {
        return key.jws(type, statement);
    }
}
