package org.stillpoint.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stillpoint.testsupport.FreePort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway on its own, in the local profile (the services behind it need not run): the dev issuer mints the claims
 * asked for and publishes the key that signed them; every malformed request is refused naming its field, a proxied one
 * outright; a call without a token never reaches a route. (The gateway in front of every service is tested in
 * system-tests.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("local")
class DevTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A port of its own, named before start: the local issuer's URL carries the gateway's port. */
    private static final int PORT = FreePort.any();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port = PORT;

    @DynamicPropertySource
    static void port(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
    }

    @Test
    void aTokenCarriesTheClaimsAskedForAndItsKeyIsPublished() throws Exception {
        HttpResponse<String> minted = mint("""
                {"subject":"pat","organisation":"stillwater","clinics":["harbour-street"],"roles":["PRACTITIONER"]}""");

        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        String token = JSON.readTree(minted.body()).get("access_token").asString();
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.get("sub").asString()).isEqualTo("pat");
        assertThat(claims.get("iss").asString()).isEqualTo("http://127.0.0.1:" + port + "/dev");
        assertThat(claims.toString()).contains("stillwater", "harbour-street", "PRACTITIONER");
        JsonNode keys = JSON.readTree(get("/dev/jwks.json", null).body()).get("keys");
        assertThat(keys.values()).anySatisfy(key -> assertThat(key.get("kid").asString())
                .isEqualTo(header.get("kid").asString()));
        assertThat(keys.values()).allSatisfy(key -> assertThat(key.has("d")).as("no private part").isFalse());
    }

    @Test
    void aMalformedRequestIsRefusedNamingItsField() throws Exception {
        assertRefused("""
                {"organisation":"stillwater","roles":["PRACTITIONER"]}""", "subject");
        assertRefused("""
                {"subject":"pat","organisation":"Still Water","roles":["PRACTITIONER"]}""", "organisation");
        assertRefused("""
                {"subject":"pat","organisation":"stillwater","clinics":["harbour street"],"roles":["PRACTITIONER"]}""",
                      "clinics[0]");
        assertRefused("""
                {"subject":"pat","organisation":"stillwater","roles":[]}""", "roles");
        assertRefused("""
                {"subject":"pat","organisation":"stillwater","roles":["SUPERUSER"]}""", "roles[0]");
        assertRefused("""
                {"subject":"pat","organisation":"stillwater","roles":["PRACTITIONER"],"expiresIn":0}""", "expiresIn");
        assertRefused("""
                {"subject":"rob","organisation":"stillwater","roles":["CLIENT"]}""", "client");
    }

    @Test
    void aRequestThatCameThroughAProxyGetsNoToken() throws Exception {
        HttpResponse<String> proxied = http.send(HttpRequest.newBuilder(uri("/dev/tokens"))
                                                            .header("Content-Type", "application/json")
                                                            .header("X-Forwarded-For", "203.0.113.7")
                                                            .POST(HttpRequest.BodyPublishers.ofString("""
                                                                    {"subject":"pat","organisation":"stillwater","roles":["PRACTITIONER"]}"""))
                                                            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(proxied.statusCode()).isEqualTo(403);
        assertThat(proxied.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void aCallWithoutATokenDoesNotReachARoute() throws Exception {
        assertThat(get("/api/clients/" + java.util.UUID.randomUUID(), null).statusCode()).isEqualTo(401);
        assertThat(get("/api/clients/" + java.util.UUID.randomUUID(), "not-a-token").statusCode()).isEqualTo(401);
    }

    private void assertRefused(String body, String field) throws Exception {
        HttpResponse<String> refused = mint(body);
        assertThat(refused.statusCode()).as(body).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("field").asString()).as(body).isEqualTo(field);
    }

    private HttpResponse<String> mint(String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/dev/tokens")).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                         HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
