package org.stillpoint.gateway.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stillpoint.security.TokenMinter;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.UsesBackends;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forged, stale and misdirected tokens are refused with 401 problem details — at the gateway, and by each service
 * called directly, bypassing the gateway. The same request with a good token succeeds, so each refusal is the token's.
 */
@UsesBackends
class TokenAttacksIT {

    private static final TokenMinter TRUSTED = TestIssuer.shared().minter();
    private static final RSAKey STRANGER = stranger();
    private static String clientId;

    @BeforeAll
    static void aClient() {
        clientId = new Fixtures(Suite.gateway()).client()[0];
    }

    static Stream<Arguments> attacks() {
        List<Arguments> attacks = new ArrayList<>();
        for (String target : List.of("gateway", "consent-service", "session-service", "referral-service")) {
            attacks.add(Arguments.of(target, "missing", (Supplier<String>) () -> null));
            attacks.add(Arguments.of(target, "expired", (Supplier<String>) () -> TRUSTED.sign(
                    valid().issueTime(ago(Duration.ofHours(2))).notBeforeTime(ago(Duration.ofHours(2)))
                           .expirationTime(ago(Duration.ofMinutes(10))).build())));
            attacks.add(Arguments.of(target, "not yet valid", (Supplier<String>) () -> TRUSTED.sign(
                    valid().notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(10)))).build())));
            attacks.add(Arguments.of(target, "wrong issuer", (Supplier<String>) () -> TRUSTED.sign(
                    valid().issuer("https://issuer.example.org/realms/elsewhere").build())));
            attacks.add(Arguments.of(target, "wrong audience", (Supplier<String>) () -> TRUSTED.sign(
                    valid().audience("billing-api").build())));
            attacks.add(Arguments.of(target, "alg none", (Supplier<String>) () -> new PlainJWT(valid().build()).serialize()));
            attacks.add(Arguments.of(target, "unknown key id", (Supplier<String>) TokenAttacksIT::signedByAStranger));
            attacks.add(Arguments.of(target, "tampered signature", (Supplier<String>) TokenAttacksIT::tampered));
        }
        return attacks.stream();
    }

    @ParameterizedTest(name = "{1} at {0}")
    @MethodSource("attacks")
    void isRefusedWith401(String target, String attack, Supplier<String> token) {
        Http http = target(target);
        String path = path(target);

        Http.Response good = http.withToken(TRUSTED.sign(valid().build())).get(path);
        assertThat(good.status()).as("the same call with a good token: " + good.raw().body()).isEqualTo(200);

        Http.Response refused = http.withToken(token.get()).get(path);
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(401);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(refused.raw().body()).doesNotContain("Robin");
        assertThat(refused.raw().body()).as("says what is wrong, not the validator's internals")
                                        .doesNotContainIgnoringCase("jwt").doesNotContain("decode", "nimbus", "Exception");
    }

    @org.junit.jupiter.api.Test
    void tokensWithRandomKeyIdsDoNotHammerTheIdentityProvider() {
        for (String target : List.of("gateway", "consent-service")) {
            Http http = target(target);
            String path = path(target);
            int before = TestIssuer.shared().jwksFetches();
            for (int i = 0; i < 40; i++) {
                assertThat(http.withToken(signedByAStranger()).get(path).status()).isEqualTo(401);
            }
            assertThat(TestIssuer.shared().jwksFetches() - before)
                    .as(target + ": 40 unknown key ids, the JWKS fetched at most twice more (cached, rate-limited)")
                    .isLessThanOrEqualTo(2);
        }
    }

    private Http target(String target) {
        return switch (target) {
            case "gateway" -> Suite.gateway();
            case "consent-service" -> Suite.consent();
            case "session-service" -> Suite.sessions();
            default -> Suite.referrals();
        };
    }

    private static String path(String target) {
        return switch (target) {
            case "session-service" -> "/api/clients/" + clientId + "/sessions";
            case "referral-service" -> "/api/clients/" + clientId + "/referrals";
            default -> "/api/clients/" + clientId;
        };
    }

    /** The claims of a good token: the owning practitioner's, valid now. */
    /**
     * A well-formed token for the right issuer and audience, signed by a key nobody published, under a key id never
     * seen before (one stranger's key, a fresh id each time: generating an RSA key per token only costs time).
     */
    private static String signedByAStranger() {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(UUID.randomUUID().toString())
                                                                                 .build(), valid().build());
            jwt.sign(new RSASSASigner(STRANGER));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder valid() {
        return TRUSTED.claims("practitioner@harbour-street", Callers.ORGANISATION, List.of(Callers.CLINIC),
                              List.of("PRACTITIONER"), Duration.ofMinutes(30));
    }

    private static RSAKey stranger() {
        try {
            return new RSAKeyGenerator(2048).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Date ago(Duration duration) {
        return Date.from(Instant.now().minus(duration));
    }

    /** A good token whose payload was changed after signing: another organisation, the same signature. */
    private static String tampered() {
        String[] parts = TRUSTED.sign(valid().build()).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"stillwater\"", "\"riverside\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                                      .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
