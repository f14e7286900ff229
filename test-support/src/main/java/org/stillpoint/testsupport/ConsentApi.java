package org.stillpoint.testsupport;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** consent-service's API as other services' tests use it: register a client, grant and withdraw consent. */
public final class ConsentApi {

    private final Http http;

    public ConsentApi(Http http) {
        this.http = http;
    }

    /**
     * consent-service running beside the service under test ({@link ServiceBeside}), called as a practitioner: consent
     * is granted and withdrawn for real and reaches the service over Kafka. The caller names the application class
     * (test-support sits below the services and knows none of them).
     */
    public static ConsentApi beside(Class<?> consentServiceApplication) {
        return new ConsentApi(ServiceBeside.of(consentServiceApplication).withToken(TestIssuer.shared().practitioner()));
    }

    public Http http() {
        return http;
    }

    /** Registers an adult client at {@code clinic} of stillwater; answers the client id. */
    public String register(String clinic) {
        return register("stillwater", clinic);
    }

    /** Registers an adult client at {@code clinic} of {@code organisation}; answers the client id. */
    public String register(String organisation, String clinic) {
        Http.Response response = http.post("/api/clients", """
                {"organisationId":"%s","clinicId":"%s","givenName":"Robin","familyName":"Ashdown",
                 "dateOfBirth":"1984-03-02"}
                """.formatted(organisation, clinic));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("clientId").asString();
    }

    /** Grants consent for {@code scopesJson} (a JSON array) from {@code grantedAt}; answers [consentId, sequence]. */
    public String[] grant(String clientId, String scopesJson, String grantedAt) {
        Http.Response response = http.post("/api/clients/" + clientId + "/consents", """
                {"scopes":%s,"method":"WRITTEN","grantedAt":"%s","lateEntryReason":"entered from the signed paper form",
                 "form":{"formId":"cst-ser-intake","version":"2026-09","textSha256":"%s"}}
                """.formatted(scopesJson, grantedAt, "ab".repeat(32)));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return new String[]{response.body().get("consentId").asString(), response.body().get("sequence").asString()};
    }

    /** Grants consent for {@code scopesJson} given {@code ago} before now (a late entry): [consentId, sequence]. */
    public String[] grant(String clientId, String scopesJson, Duration ago) {
        return grant(clientId, scopesJson, Instant.now().minus(ago).toString());
    }

    /** Withdraws {@code scopesJson}; answers the client's consent sequence after it. */
    public long withdraw(String clientId, String consentId, String scopesJson) {
        Http.Response response = http.post("/api/clients/" + clientId + "/consents/" + consentId + "/withdrawals",
                                           "{\"scopes\":" + scopesJson + "}");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("sequence").asLong();
    }
}
