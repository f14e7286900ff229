package org.stillpoint.consent.it;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reservation whose commit never comes (the losing side of a concurrent command, a process that died between
 * reserving and writing) leaves a gap below every later write for as long as the gap timeout (a minute). The writes
 * after it are still answered {@code 201} and read back, because a write waits for its own event, not for the gap.
 */
class FailedReservationIT extends OnBackends {

    @Test
    void aGapLeftByAFailedReservationDoesNotHoldTheWritesAfterIt() {
        Http http = new Http(port).withToken(TestIssuer.shared().practitioner());
        Http.Response before = http.post("/api/clients", """
                {"clinicId":"harbour-street","givenName":"Ada","familyName":"Lind","dateOfBirth":"1990-02-02"}
                """);
        assertThat(before.status()).as(before.raw().body()).isEqualTo(201);

        // positions handed out and never written: what a failed reservation leaves
        database.getCollection("event_positions").updateOne(Filters.eq("_id", "global"), Updates.inc("next", 3L));

        for (int i = 0; i < 3; i++) {
            Http.Response created = http.post("/api/clients", """
                    {"clinicId":"harbour-street","givenName":"Ada","familyName":"Lind","dateOfBirth":"1990-02-02"}
                    """);
            assertThat(created.status()).as("shown, not only stored: " + created.raw().body()).isEqualTo(201);
            String clientId = created.body().get("clientId").asString();
            Http.Response granted = http.post("/api/clients/" + clientId + "/consents", """
                    {"scopes":["CRANIOSACRAL_THERAPY"],"form":%s,"method":"WRITTEN"}
                    """.formatted(Clients.FORM));
            assertThat(granted.status()).as(granted.raw().body()).isEqualTo(201);
            assertThat(http.get("/api/clients/" + clientId).status()).isEqualTo(200);
        }
    }
}
