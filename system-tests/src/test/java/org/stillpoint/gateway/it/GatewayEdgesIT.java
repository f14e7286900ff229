package org.stillpoint.gateway.it;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.stillpoint.platform.record.InvalidRecord;
import org.stillpoint.platform.record.RecordVerifier;
import org.stillpoint.security.Role;
import org.stillpoint.testsupport.FreePort;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;
import org.stillpoint.testsupport.UsesBackends;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What the gateway adds of its own: the rate limit per token, the body cap, the services' OpenAPI documents and the
 * Swagger UI, the services' record-signing keys, health probes; and dev tokens only in the local profile.
 */
@UsesBackends
class GatewayEdgesIT {

    @Test
    void aTokenOverItsRateIsRefusedWith429AndOthersAreNot() {
        Http gateway = Suite.startGateway(List.of("--stillpoint.gateway.rate-limit.burst=3",
                                                  "--stillpoint.gateway.rate-limit.per-second=0.05"));
        String clientId = new Fixtures(Suite.gateway()).client()[0];
        Http eager = gateway.withToken(Callers.owner());
        for (int i = 0; i < 3; i++) {
            assertThat(eager.get("/api/clients/" + clientId).status()).isEqualTo(200);
        }
        Http.Response limited = eager.get("/api/clients/" + clientId);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
        assertThat(limited.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:rate-limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();

        Http other = gateway.withToken(Callers.OWN_CLINIC.token(Role.CLINIC_ADMIN));
        assertThat(other.get("/api/clients/" + clientId).status()).as("another subject has its own budget").isEqualTo(200);
    }

    @Test
    void aBodyOverTheCapIsRefusedWith413WithOrWithoutALength() {
        Http gateway = Suite.gateway().withToken(Callers.owner());
        byte[] large = ("{\"clinicId\":\"harbour-street\",\"givenName\":\"" + "x".repeat(70_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Http.Response declared = gateway.send("POST", "/api/clients", "application/json", large);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:body-too-large");

        Http.Response chunked = gateway.sendChunked("POST", "/api/clients", "application/json", large);
        assertThat(chunked.status()).isEqualTo(413);

        Http.Response small = gateway.sendChunked("POST", "/api/clients", "application/json", """
                {"clinicId":"harbour-street","givenName":"Sam","familyName":"Reed","dateOfBirth":"1990-01-01"}
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(small.status()).as(small.raw().body()).isEqualTo(201);
    }

    @Test
    void eachServicesSigningKeysAreServedWithoutATokenAndVerifyItsRecords() {
        Http gateway = Suite.gateway();
        for (String service : List.of("consent-service", "session-service", "referral-service", "audit-service",
                                       "delivery-service")) {
            Http.Response keys = gateway.get("/.well-known/stillpoint/" + service + "/jwks.json");
            assertThat(keys.status()).as(service).isEqualTo(200);
            assertThat(keys.body().get("keys").values()).singleElement().satisfies(key -> {
                assertThat(key.get("kid").asString()).isEqualTo(TestIssuer.shared().signingKey(service).getKeyID());
                assertThat(key.has("d")).as("no private part").isFalse();
            });
        }
        String clientId = new Fixtures(gateway).client()[0];
        RecordVerifier verifier = RecordVerifier.fetching(
                "http://127.0.0.1:" + gateway.port() + "/.well-known/stillpoint/{service}/jwks.json");
        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.consent.v1")) {
            List<ConsumerRecord<String, byte[]>> records = await().atMost(Duration.ofSeconds(30))
                                                                  .until(() -> topic.keyed(clientId), r -> !r.isEmpty());
            for (ConsumerRecord<String, byte[]> record : records) {
                assertThatCode(() -> verifier.verify(record, "/stillpoint/consent-service")).doesNotThrowAnyException();
                assertThatThrownBy(() -> verifier.verify(record, "/stillpoint/session-service"))
                        .as("not with another service's keys").isInstanceOf(InvalidRecord.class);
            }
        }
    }

    @Test
    void everyServiceDocumentIsServedWithASwaggerUi() {
        Http gateway = Suite.gateway();
        for (String service : List.of("consent-service", "session-service", "referral-service", "audit-service",
                                       "delivery-service")) {
            Http.Response document = gateway.get("/openapi/" + service);
            assertThat(document.status()).as(service).isEqualTo(200);
            assertThat(document.body().get("info").get("title").asString()).isEqualTo("Stillpoint " + service);
            assertThat(document.body().get("components").get("securitySchemes").get("bearer").get("scheme").asString())
                    .isEqualTo("bearer");
            assertThat(document.raw().body()).doesNotContain("\"caller\"");
        }
        assertThat(gateway.get("/openapi/session-service").body().get("paths")
                          .has("/api/clients/{clientId}/sessions/{sessionId}/amendments")).isTrue();
        Http.Response ui = gateway.get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.raw().body()).contains("Swagger UI");
        Http.Response config = gateway.get("/v3/api-docs/swagger-config");
        assertThat(config.raw().body()).contains("/openapi/consent-service", "/openapi/referral-service",
                                                "/openapi/audit-service", "/openapi/delivery-service");
    }

    @Test
    void theEventContractIsServedWithTheSchemasItRefersTo() {
        Http gateway = Suite.gateway();
        Http.Response document = gateway.get("/asyncapi.yaml");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.header("Content-Type")).startsWith("application/yaml");
        assertThat(document.raw().body()).contains("asyncapi: 3.0.0", "stillpoint.consent.v1", "stillpoint.access.v1",
                                                   "stillpoint.dlt.{group}", "ce_signature", "ce_signatureproof",
                                                   "stillpoint.referral.issued.v2", "stillpoint.referral.issued.v1");
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("\\$ref: 'schemas/([a-z0-9.-]+)\\.json'")
                                                              .matcher(document.raw().body());
        int referenced = 0;
        while (refs.find()) {
            referenced++;
            Http.Response schema = gateway.get("/schemas/" + refs.group(1) + ".json");
            assertThat(schema.status()).as(refs.group(1)).isEqualTo(200);
            assertThat(schema.body().get("$schema").asString()).contains("2020-12");
        }
        assertThat(referenced).as("schemas referenced").isGreaterThanOrEqualTo(13);
        assertThat(gateway.get("/schemas/common.json").status()).isEqualTo(200);
        assertThat(gateway.get("/schemas/..%2Fapplication.json").status()).isIn(400, 404);
        assertThat(gateway.get("/schemas/nothing-here.json").status()).isEqualTo(404);
    }

    @Test
    void probesAnswerAnyoneAndMetricsAndHealthDetailsOnlyAnOperator() {
        for (Http part : List.of(Suite.gateway(), Suite.consent(), Suite.sessions(), Suite.referrals(), Suite.audit())) {
            assertThat(part.get("/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(part.get("/actuator/health/liveness").status()).isEqualTo(200);
            for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator/info")) {
                assertThat(part.get(path).status()).as(path + " without a token").isEqualTo(401);
                assertThat(part.withToken(TestIssuer.shared().practitioner()).get(path).status())
                        .as(path + " for a practitioner").isEqualTo(403);
            }
            Http operator = part.withToken(TestIssuer.shared().operator());
            Http.Response metrics = operator.get("/actuator/prometheus");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.raw().body()).contains("jvm_memory_used_bytes");
            Http.Response health = operator.get("/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body().get("status").asString()).isIn("UP", "DEGRADED");
        }
    }

    @Test
    void devTokensExistOnlyInTheLocalProfile() {
        String request = """
                {"subject":"dev-practitioner","organisation":"stillwater","clinics":["harbour-street"],
                 "roles":["PRACTITIONER"]}
                """;
        Http production = Suite.gateway();
        assertThat(production.post("/dev/tokens", request).status()).as("without a token").isEqualTo(401);
        assertThat(production.withToken(TestIssuer.shared().practitioner()).post("/dev/tokens", request).status())
                .as("even with a token: no such endpoint").isEqualTo(404);
        assertThat(production.withToken(TestIssuer.shared().practitioner()).get("/dev/jwks.json").status())
                .isEqualTo(404);

        int port = FreePort.any();
        Http local = Suite.startGateway(List.of(
                "--spring.profiles.active=local",
                "--stillpoint.security.issuer=http://127.0.0.1:" + port + "/dev",
                "--stillpoint.security.jwk-set-uri=http://127.0.0.1:" + port + "/dev/jwks.json"), port);
        Http.Response minted = local.post("/dev/tokens", request);
        assertThat(minted.status()).as(minted.raw().body()).isEqualTo(200);
        assertThat(minted.body().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(minted.body().get("expires_in").asLong()).isPositive();
        String token = minted.body().get("access_token").asString();
        assertThat(local.get("/actuator/info").status()).isEqualTo(401);
        // as everywhere: only the probes answer without a token, also in the local profile
        for (String path : List.of("/actuator/prometheus", "/actuator/health")) {
            assertThat(local.get(path).status()).as(path + " without a token, locally").isEqualTo(401);
        }
        assertThat(local.get("/actuator/health/readiness").status()).isEqualTo(200);
        // a request that came through a proxy is no longer this machine's, whatever its remote address says
        for (String header : List.of("Forwarded", "X-Forwarded-For")) {
            Http.Response proxied = local.post("/dev/tokens", request, header, "for=198.51.100.7");
            assertThat(proxied.status()).as(header).isEqualTo(403);
            assertThat(proxied.raw().body()).contains("dev-tokens-loopback-only").doesNotContain("access_token");
        }
        assertThat(local.withToken(token).get("/actuator/info").status())
                .as("the gateway trusts its dev token: a practitioner, not an operator").isEqualTo(403);
        Http.Response forwarded = local.withToken(token).get("/api/referrals/open");
        assertThat(forwarded.status()).as("a service that trusts another issuer refuses it on its own").isEqualTo(401);
        assertThat(forwarded.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:invalid-token");

        Http.Response bad = local.post("/dev/tokens", request.replace("PRACTITIONER", "SUPERUSER"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("field").asString()).isEqualTo("roles[0]");

        // a client's token names their client id, and nothing but CLIENT
        String client = java.util.UUID.randomUUID().toString();
        Http.Response own = local.post("/dev/tokens", """
                {"subject":"robin","organisation":"stillwater","roles":["CLIENT"],"client":"%s"}""".formatted(client));
        assertThat(own.status()).as(own.raw().body()).isEqualTo(200);
        String payload = own.body().get("access_token").asString().split("\\.")[1];
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"client\":\"" + client + "\"", "\"CLIENT\"");
        for (String refused : List.of(
                "{\"subject\":\"robin\",\"organisation\":\"stillwater\",\"roles\":[\"CLIENT\"]}",
                "{\"subject\":\"robin\",\"organisation\":\"stillwater\",\"roles\":[\"CLIENT\"],\"client\":\"robin\"}",
                "{\"subject\":\"robin\",\"organisation\":\"stillwater\",\"roles\":[\"CLIENT\",\"PRACTITIONER\"],\"client\":\"" + client + "\"}",
                "{\"subject\":\"pat\",\"organisation\":\"stillwater\",\"roles\":[\"PRACTITIONER\"],\"client\":\"" + client + "\"}")) {
            Http.Response mixed = local.post("/dev/tokens", refused);
            assertThat(mixed.status()).as(refused).isEqualTo(400);
            assertThat(mixed.body().get("field").asString()).isEqualTo("client");
        }
    }

    /** The dev token endpoint answers loopback callers only, even when the local profile is bound to every address. */
    @Test
    void devTokensAreMintedForLoopbackCallersOnly() throws Exception {
        java.net.InetAddress other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
                .stream().filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this machine has no address but loopback");
        int port = FreePort.any();
        Http local = Suite.startGateway(List.of(
                "--spring.profiles.active=local", "--server.address=0.0.0.0",
                "--stillpoint.security.issuer=http://127.0.0.1:" + port + "/dev",
                "--stillpoint.security.jwk-set-uri=http://127.0.0.1:" + port + "/dev/jwks.json"), port);
        String request = """
                {"subject":"dev-practitioner","organisation":"stillwater","clinics":["harbour-street"],
                 "roles":["PRACTITIONER"]}
                """;
        assertThat(local.post("/dev/tokens", request).status()).as("from loopback").isEqualTo(200);
        java.net.http.HttpResponse<String> remote = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                "http://" + other.getHostAddress() + ":" + port + "/dev/tokens"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(request)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(remote.statusCode()).as("from " + other.getHostAddress()).isEqualTo(403);
        assertThat(remote.body()).contains("urn:stillpoint:problem:dev-tokens-loopback-only").doesNotContain("access_token");
    }
}
