package org.stillpoint.audit.query;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An access as a compliance officer reads it: what was looked at, in words, and why a refusal was refused. */
class AccessWordsTest {

    private static final String CLIENT = "3a33e452-e099-4409-8603-e2520d64079a";
    private static final String SESSION = "65062104-ac8a-450a-8fb1-28152887679b";

    private final AccessWords words = new AccessWords(ZoneId.of("Europe/London"),
                                                      Map.of(SESSION, "the session of 3 December 2026"));

    @Test
    void whatWasLookedAtIsSaidInWordsWithTheNamesOfItsParts() {
        assertThat(words.sentence("READ", "GET /api/clients/" + CLIENT + "/consents", "ALLOWED", null))
                .isEqualTo("looked at the client's consents");
        assertThat(words.sentence("READ", "GET /api/clients/" + CLIENT + "/sessions/" + SESSION, "ALLOWED", null))
                .isEqualTo("looked at the session of 3 December 2026");
        assertThat(words.what("GET /api/clients/" + CLIENT + "/referrals/5e0c3a1b-7d2f-4c8e-9a6b-1f2e3d4c5b6a"))
                .isEqualTo("the referral 5e0c3a1b");
        assertThat(words.what("GET /console/clients/" + CLIENT + "/state?at=2026-12-03T14:05:00"))
                .isEqualTo("the client's state as of 2026-12-03 14:05:00 GMT, in the console");
        assertThat(words.what("GET /api/audit/clients/" + CLIENT + "/timeline?asOf=2026-07-01T12:00:00Z"))
                .isEqualTo("the client's state as of 2026-07-01 13:00:00 BST");
        assertThat(words.what("GET /api/audit/clients/" + CLIENT + "/export?format=fhir"))
                .isEqualTo("an export of the client's audit record (FHIR)");
        assertThat(words.what("GET /api/me/accesses")).isEqualTo("their own accesses");
        assertThat(words.what("GET /copies/" + CLIENT + "/sessions")).isEqualTo("their own sessions, for their copy");
        assertThat(words.what("GET /api/me/copy-requests/" + CLIENT + "/document"))
                .isEqualTo("their own copy (downloading it as a document)");
        assertThat(words.sentence("WRITE", "PUT /api/clients/" + CLIENT + "/sessions/" + SESSION + "/note", "DENIED",
                                  "other-clinic"))
                .isEqualTo("tried to change the session of 3 December 2026 (revising its note) — refused: the client "
                                   + "is registered at a clinic they do not work at");
        assertThat(words.sentence("READ", "GET /api/clients/" + CLIENT, "GONE", null))
                .isEqualTo("asked for the client's details — the client had been erased: nothing was shown");
        assertThat(words.sentence("READ", "GET /api/clients/" + CLIENT, "DENIED", "other-organisation"))
                .endsWith("refused: they belong to another organisation").doesNotContain("GET", "/api");
        assertThat(AccessWords.fromElsewhere("tried to look at the client's details — refused: they belong to another "
                                                     + "organisation", "riverside", "stillwater"))
                .endsWith("they belong to another organisation (riverside)");
        assertThat(AccessWords.fromElsewhere("looked at the client's details", "stillwater", "stillwater"))
                .isEqualTo("looked at the client's details");
    }
}
