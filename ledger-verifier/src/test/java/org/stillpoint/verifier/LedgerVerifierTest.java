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
 * An export that verifies is the export that was made: every kind of forgery a recipient of an export could try is
 * refused with its reason — edited and left as signed (the signature no longer covers it), and edited then signed again
 * by a key holder whose read model lies (the sections are checked against the proved event bytes).
 */
class LedgerVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORGANISATION = "stillwater";
    private static final String CLIENT = "261909a9-5c26-43b3-86cb-be21bcb4f9a8";
    private static TestKeys key;
    private static JWKSet keys;
    private static ObjectNode genuine;

    @BeforeAll
    static void anExportOfAClientWithThreeProvedEventsAndOneLater() throws Exception {
        key = new TestKeys();
        keys = key.published();
        // ten links of the organisation: the client's registration (hashed in the old encoding), referral and access
        List<ObjectNode> links = new ArrayList<>();
        List<String> leaves = new ArrayList<>();
        String previous = "0".repeat(64);
        for (int i = 0; i < 10; i++) {
            String subject = i == 1 || i == 4 || i == 7 ? CLIENT : "other-client-" + i;
            String type = i == 4 ? "stillpoint.referral.issued.v2" : i == 7 ? "stillpoint.access.event-delivered.v1"
                    : "stillpoint.consent.client-registered.v1";
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("ce_id", "event-" + i);
            headers.put("ce_type", type);
            headers.put("ce_subject", subject);
            headers.put("ce_time", "2026-12-0" + (i % 9 + 1) + "T10:00:00Z");
            headers.put("ce_signature", "ignored");
            String value = i == 4 ? "{\"clientId\":\"" + CLIENT + "\",\"referralId\":\"r-1\",\"recipient\":{\"kind\":\"MEDICAL\","
                    + "\"name\":\"Dr. Amara Osei\",\"organisation\":null}}"
                    : i == 7 ? "{\"clientId\":\"" + CLIENT + "\",\"subscription\":\"billing\","
                    + "\"endpointHost\":\"hooks.example.org\"}" : "{\"n\":" + i + "}";
            int version = i == 1 ? 1 : 2;
            String eventHash = EventHash.of(version, headers, value);
            String hash = EventHash.link(i, previous, eventHash);
            ObjectNode link = JSON.createObjectNode().put("index", i).put("eventId", "event-" + i)
                                  .put("hashVersion", version).put("value", value).put("eventHash", eventHash)
                                  .put("previousHash", previous).put("hash", hash);
            link.set("headers", JSON.valueToTree(headers));
            links.add(link);
            leaves.add(MerkleTree.leaf(hash));
            previous = hash;
        }
        String treeHead = Trees.root(leaves, 0, 10);
        ObjectNode export = JSON.createObjectNode().put("format", LedgerVerifier.FORMAT).put("clientId", CLIENT)
                                .put("organisationId", ORGANISATION).put("clinicId", "harbour-street")
                                .put("exportedAt", "2026-12-06T12:00:00Z");
        ArrayNode timeline = export.putArray("timeline");
        for (int i : List.of(1, 4, 7)) {
            timeline.addObject().put("eventId", "event-" + i).put("type", links.get(i).path("headers").path("ce_type").asText())
                    .put("ledgerHash", links.get(i).path("hash").asText()).put("summary", "entry " + i);
        }
        timeline.addObject().put("eventId", "event-later").put("type", "stillpoint.access.client-accessed.v1")
                .put("summary", "the export's own read");
        export.put("disclosuresSince", "2020-12-06T00:00:00Z");
        ObjectNode disclosure = export.putArray("disclosures").addObject().put("eventId", "event-4")
                                      .put("referralId", "r-1");
        // a recipient of no organisation: null in the event, absent from the disclosure
        disclosure.putObject("recipient").put("kind", "MEDICAL").put("name", "Dr. Amara Osei");
        // an event delivered to the organisation's integrator by webhook: a disclosure, and the integrator's access
        ((ArrayNode) export.get("disclosures")).addObject().put("eventId", "event-7").putObject("recipient")
                                               .put("kind", "INTEGRATOR").put("name", "billing")
                                               .put("organisation", "hooks.example.org");
        export.putArray("accesses").addObject().put("eventId", "event-7").put("type", "stillpoint.access.event-delivered.v1");
        ObjectNode ledger = export.putObject("ledger").put("organisationId", ORGANISATION);
        ledger.set("checkpoint", checkpoint(ORGANISATION, 9, links.get(9).path("hash").asText(), 10, treeHead));
        ArrayNode proved = ledger.putArray("links");
        for (int i : List.of(1, 4, 7)) {
            ObjectNode link = links.get(i).deepCopy();
            link.set("path", JSON.valueToTree(Trees.path(leaves, i, 0, 10)));
            proved.add(link);
        }
        ledger.putArray("after").add("event-later");
        genuine = signed(export);
    }

    @Test
    void theExportAsMadeVerifiesWithItsOldAndNewLinks() throws Exception {
        LedgerVerifier.Result result = LedgerVerifier.verify(genuine.toString(), keys);
        assertThat(result.verified()).as(result.toString()).isTrue();
        assertThat(result.links()).isEqualTo(3);
        assertThat(result.later()).isEqualTo(1);
        assertThat(result.toString()).startsWith("VERIFIED: 3 links");
    }

    @Test
    void everyEditOfASignedExportIsRefused() throws Exception {
        assertBroken(edited(e -> ((ObjectNode) e.at("/disclosures/0/recipient")).put("name", "Dr. Nobody")),
                     "changed after it was signed");
        assertBroken(edited(e -> ((ArrayNode) e.get("disclosures")).remove(0)), "changed after it was signed");
        assertBroken(edited(e -> ((ArrayNode) e.get("timeline")).remove(1)), "changed after it was signed");
        assertBroken(edited(e -> ((ObjectNode) e).put("clientId", "another-client")), "made for client");
        assertBroken(edited(e -> ((ObjectNode) e).put("organisationId", "riverside")), "made for 'stillwater'");
        assertBroken(edited(e -> ((ObjectNode) e.at("/ledger/links/1")).remove(List.of("headers", "value"))),
                     "changed after it was signed");
        assertBroken(edited(e -> ((ArrayNode) e.at("/ledger/links")).remove(2)), "changed after it was signed");
        assertBroken(edited(e -> ((ObjectNode) e).remove("signature")), "no signature");
    }

    @Test
    void aReadModelThatLiesIsCaughtEvenWhenItsExportIsSignedAgain() throws Exception {
        assertBroken(resigned(e -> ((ObjectNode) e.at("/disclosures/0/recipient")).put("name", "Dr. Nobody")),
                     "names recipient name 'Dr. Nobody'; the event names 'Dr. Amara Osei'");
        assertBroken(resigned(e -> ((ArrayNode) e.get("disclosures")).remove(0)),
                     "leaves out referral event event-4");
        assertBroken(resigned(e -> ((ArrayNode) e.get("disclosures")).remove(1)),
                     "leaves out delivery event event-7");
        assertBroken(resigned(e -> ((ObjectNode) e.at("/disclosures/1/recipient")).put("organisation", "elsewhere.org")),
                     "names recipient organisation 'elsewhere.org'; the event names 'hooks.example.org'");
        assertBroken(resigned(e -> ((ObjectNode) e.at("/disclosures/1")).put("eventId", "event-1")),
                     "is neither a referral issued nor an event delivered");
        assertBroken(resigned(e -> ((ArrayNode) e.get("timeline")).remove(1)), "the timeline leaves out event event-4");
        assertBroken(resigned(e -> ((ObjectNode) e).put("clientId", "another-client")), "not of the export's client");
        assertBroken(resigned(e -> ((ObjectNode) e).put("organisationId", "riverside")), "the proof is of organisation");
        assertBroken(resigned(e -> ((ObjectNode) e.at("/ledger/links/1")).remove(List.of("headers", "value"))),
                     "carries no event bytes");
        assertBroken(resigned(e -> ((ArrayNode) e.at("/ledger/links")).remove(2)),
                     "timeline entry event-7 is neither proved nor named as later");
        assertBroken(resigned(e -> {
            // headers re-split: the type moved into the time's value, as the old encoding could not tell apart
            ObjectNode headers = (ObjectNode) e.at("/ledger/links/1/headers");
            headers.put("ce_time", headers.get("ce_time").asText() + "\nce_type=" + headers.get("ce_type").asText());
            headers.remove("ce_type");
        }), "not the event that was hashed");
        assertBroken(resigned(e -> ((ObjectNode) e.at("/ledger/links/0")).put("path", JSON.createArrayNode())),
                     "not in the signed tree");
        assertBroken(resigned(e -> ((ObjectNode) e.at("/timeline/0")).put("type", "stillpoint.consent.granted.v1")),
                     "says type stillpoint.consent.granted.v1");
    }

    @Test
    void aCheckpointOfAnotherOrganisationOrKeyOrFormatIsRefused() throws Exception {
        JsonNode signed = genuine.at("/ledger/checkpoint");
        ObjectNode riverside = checkpoint("riverside", signed.get("index").asLong(), signed.get("hash").asText(),
                                          signed.get("treeSize").asLong(), signed.get("treeHead").asText());
        assertBroken(resigned(e -> ((ObjectNode) e.get("ledger")).set("checkpoint", riverside)),
                     "the checkpoint is of organisation riverside");
        assertBroken(resigned(e -> ((ObjectNode) e.at("/ledger/checkpoint")).put("treeSize", 11)),
                     "treeSize is not the one signed");
        assertBroken(resigned(e -> ((ObjectNode) e.get("ledger")).remove("checkpoint")), "no signed checkpoint");
        JWKSet others = TestKeys.another();
        assertThat(LedgerVerifier.verify(genuine.toString(), others).reason()).contains("signature does not verify");
        assertThat(LedgerVerifier.verify("{\"clientId\":\"x\",\"ledger\":{}}", keys).reason()).contains("format '1'");
    }

    private static void assertBroken(JsonNode export, String reason) throws Exception {
        LedgerVerifier.Result result = LedgerVerifier.verify(export.toString(), keys);
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

    private static ObjectNode checkpoint(String organisation, long index, String hash, long treeSize, String treeHead)
            throws Exception {
        ObjectNode statement = JSON.createObjectNode().put("organisation", organisation).put("index", index)
                                   .put("hash", hash).put("treeSize", treeSize).put("treeHead", treeHead)
                                   .put("at", "2026-12-06T11:00:00Z");
        return JSON.createObjectNode().put("index", index).put("hash", hash).put("treeSize", treeSize)
                   .put("treeHead", treeHead).put("at", "2026-12-06T11:00:00Z")
                   .put("jws", jws(LedgerVerifier.CHECKPOINT_TYPE, statement));
    }

    private static ObjectNode signed(ObjectNode export) throws Exception {
        ObjectNode statement = JSON.createObjectNode().put("format", LedgerVerifier.FORMAT)
                                   .put("organisation", export.path("organisationId").asText())
                                   .put("client", export.path("clientId").asText())
                                   .put("exportedAt", export.path("exportedAt").asText())
                                   .put("sha256", HexFormat.of().formatHex(EventHash.sha256(Canonical.bytes(export))));
        ObjectNode signed = export.deepCopy();
        signed.put("signature", jws(LedgerVerifier.EXPORT_TYPE, statement));
        return signed;
    }

    private static String jws(String type, JsonNode statement) throws Exception {
        return key.jws(type, statement);
    }
}
