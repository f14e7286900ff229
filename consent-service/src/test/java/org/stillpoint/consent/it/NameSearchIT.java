package org.stillpoint.consent.it;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stillpoint.consent.query.NameIndex;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.RefusalCheck;
import org.stillpoint.testsupport.TestIssuer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A compliance officer who receives a letter from "Zoë O'Brien-Marsh, born 2 March 1984" finds the record: by name and
 * date of birth, exactly, up to case, accents and punctuation; within the organisation and the clinics the caller may
 * read; and nothing in any of the service's collections holds the name in clear. An erasure deletes the entry.
 */
class NameSearchIT extends OnBackends {

    @Autowired
    NameIndex index;

    private static final String OFFICER = TestIssuer.shared().complianceOfficer();
    private static final String ADMIN = TestIssuer.shared().clinicAdmin();

    private String register(String token, String given, String family, String born) {
        Http.Response created = new Http(port).withToken(token).post("/api/clients", """
                {"clinicId":"%s","givenName":"%s","familyName":"%s","dateOfBirth":"%s"}
                """.formatted(TestIssuer.CLINIC, given, family, born));
        assertThat(created.status()).as(created.raw().body()).isIn(201, 202);
        return created.body().get("clientId").asString();
    }

    private Http.Response search(String token, String given, String family, String born) {
        return new Http(port).withToken(token).post("/api/clients/search", """
                {"givenName":"%s","familyName":"%s","dateOfBirth":"%s"}""".formatted(given, family, born));
    }

    private List<String> found(Http.Response answer) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.body().get("clients").values().forEach(c -> ids.add(c.get("clientId").asString()));
        return ids;
    }

    @Test
    void aClientIsFoundByNameAndDateOfBirthAndTheNameIsNowhereInClear() {
        String marker = UUID.randomUUID().toString().substring(0, 8).replaceAll("[0-9]", "q");
        String given = "Zoë";
        String family = "O'Brien-Marsh" + marker;
        String practitioner = TestIssuer.shared().practitioner();
        String zoe = register(practitioner, given, family, "1984-03-02");
        String namesake = register(practitioner, given, family, "1990-07-15");

        // spelled as a letter would, without the accent, apostrophe or hyphen, in capitals: one match
        // the index is a read model of its own: a registration is in it a moment after it is answered
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(found(search(
                OFFICER, "ZOE", "obrienmarsh" + marker.toUpperCase(), "1984-03-02"))).containsExactly(zoe));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(found(search(ADMIN, given, family, "1990-07-15"))).containsExactly(namesake));
        // exact only: another day, another spelling, or half a name find nothing
        assertThat(found(search(OFFICER, given, family, "1984-03-03"))).isEmpty();
        assertThat(found(search(OFFICER, "Zoey", family, "1984-03-02"))).isEmpty();
        assertThat(found(search(OFFICER, given, "O'Brien", "1984-03-02"))).isEmpty();
        // another organisation's officer, and a clinic admin of another clinic, find nothing of ours
        String elsewhere = TestIssuer.shared().token("cole-elsewhere", "harmony-health", List.of(),
                                                     List.of("COMPLIANCE_OFFICER"));
        assertThat(found(search(elsewhere, given, family, "1984-03-02"))).isEmpty();
        String otherClinic = TestIssuer.shared().token("ada-admin", TestIssuer.ORGANISATION, List.of("mill-lane"),
                                                       List.of("CLINIC_ADMIN"));
        assertThat(found(search(otherClinic, given, family, "1984-03-02"))).isEmpty();

        // nothing the service keeps holds the family name in clear
        for (String collection : database.listCollectionNames()) {
            for (Document document : database.getCollection(collection).find()) {
                assertThat(document.toJson()).as(collection).doesNotContain(marker);
            }
        }
    }

    @Test
    void whoMayNotSearchOrSearchesBadlyIsRefusedNamingTheField() {
        RefusalCheck.problem(search(TestIssuer.shared().practitioner(), "Robin", "Ashdown", "1984-03-02"), 403,
                             "role-not-allowed");
        Http.Response noBirth = new Http(port).withToken(OFFICER).post("/api/clients/search",
                                                                       "{\"givenName\":\"Robin\",\"familyName\":\"Ashdown\"}");
        RefusalCheck.problem(noBirth, 400, "invalid-request");
        assertThat(noBirth.raw().body()).contains("dateOfBirth");
        Http.Response blank = search(OFFICER, " ", "Ashdown", "1984-03-02");
        RefusalCheck.problem(blank, 400, "invalid-request");
        assertThat(blank.raw().body()).contains("givenName");
    }

    @Test
    void entriesMadeUnderAnotherKeyAreMadeAgainFromTheSealedDetails() {
        String client = register(TestIssuer.shared().practitioner(), "Idris", "Penhallow", "1968-05-09");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(found(search(OFFICER, "Idris", "Penhallow", "1968-05-09"))).contains(client));
        // as if made under the key before a rotation: a blind value nobody can match, another key id
        database.getCollection(NameIndex.Entry.COLLECTION).updateOne(new Document("_id", client), new Document("$set",
                new Document("blind", "made-under-the-old-key").append("keyId", "old")));
        assertThat(found(search(OFFICER, "Idris", "Penhallow", "1968-05-09"))).doesNotContain(client);

        index.rebuildAfterARotation();

        assertThat(found(search(OFFICER, "Idris", "Penhallow", "1968-05-09"))).contains(client);
        assertThat(database.getCollection(NameIndex.Entry.COLLECTION).countDocuments(new Document("keyId", "old")))
                .isZero();
    }

    @Test
    void anErasureDeletesTheEntry() {
        String client = register(TestIssuer.shared().practitioner(), "Wren", "Halloway", "1979-11-30");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(found(search(OFFICER, "Wren", "Halloway", "1979-11-30"))).contains(client));
        Http.Response requested = new Http(port).withToken(ADMIN).post("/api/clients/" + client + "/erasure-requests",
                "{\"legalBasis\":\"GDPR Art. 17(1)(b)\",\"reason\":\"The client asked in writing\"}");
        assertThat(requested.status()).as(requested.raw().body()).isEqualTo(201);
        Http.Response erased = new Http(port).withToken(OFFICER).post("/api/clients/" + client + "/erasure-requests/"
                + requested.body().get("requestId").asString() + "/approval",
                "{\"justification\":\"Checked the client's identity\",\"legalOverride\":\"Court order ref. 2026/114\"}");
        assertThat(erased.status()).as(erased.raw().body()).isEqualTo(201);
        assertThat(found(search(OFFICER, "Wren", "Halloway", "1979-11-30"))).doesNotContain(client);
        assertThat(database.getCollection(NameIndex.Entry.COLLECTION).find(new Document("_id", client)).first()).isNull();
    }
}
