package org.stillpoint.consent.it;

import org.stillpoint.testsupport.Http;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests that set up a client and their consent over HTTP. */
final class Clients {

    static final String FORM = """
            {"formId":"cst-ser-intake","version":"2026-09","textSha256":"%s"}
            """.formatted("ab".repeat(32)).strip();

    private Clients() {
    }

    /** Registers an adult client at the harbour-street clinic and answers their id. */
    static String register(Http http, String givenName, String familyName, String dateOfBirth) {
        Http.Response response = http.post("/api/clients", """
                {"organisationId":"stillwater","clinicId":"harbour-street","givenName":"%s","familyName":"%s",
                 "dateOfBirth":"%s","email":"client@example.org","phone":"+44 20 7946 0000"}
                """.formatted(givenName, familyName, dateOfBirth));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        assertThat(response.header("Location")).endsWith("/api/clients/" + response.body().get("clientId").asString());
        return response.body().get("clientId").asString();
    }

    /** Grants consent for {@code scopesJson} (a JSON array), optionally until {@code expiresAt}; answers its id. */
    static String grant(Http http, String clientId, String scopesJson, String expiresAt) {
        Http.Response response = http.post("/api/clients/" + clientId + "/consents", """
                {"scopes":%s,"form":%s,"method":"WRITTEN","boundaries":"No work near the left shoulder.",
                 "expiresAt":%s}
                """.formatted(scopesJson, FORM, expiresAt == null ? "null" : "\"" + expiresAt + "\""));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("consentId").asString();
    }
}
