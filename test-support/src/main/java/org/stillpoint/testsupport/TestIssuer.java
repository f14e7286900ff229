package org.stillpoint.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.stillpoint.security.TokenMinter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token issuer of the tests: signs tokens with its own key and serves that key as a JWKS over real HTTP, so the
 * services under test validate tokens exactly as in production. One per JVM.
 * <p>
 * It also holds each service's record-signing key and serves its public part at {@code /signing/<service>/jwks.json},
 * where the services under test fetch it to verify each other's records; a test that produces a record by hand signs
 * it with {@link #signingKey(String)} of the service it claims to be from.
 */
public final class TestIssuer {

    public static final String ISSUER = "urn:stillpoint:test-issuer";
    public static final String AUDIENCE = "stillpoint";
    /** The organisation and clinic of the tests' default practitioner. */
    public static final String ORGANISATION = "stillwater";
    public static final String CLINIC = "harbour-street";

    private static TestIssuer shared;

    private final TokenMinter minter = TokenMinter.generate(ISSUER, AUDIENCE);
    private final String masterKey = randomKey();
    private final String nameIndexKey = randomKey();
    private final String jwkSetUri;
    private final java.util.concurrent.atomic.AtomicInteger jwksFetches = new java.util.concurrent.atomic.AtomicInteger();
    /** The services' record-signing keys, by service name; a key is made the first time it is asked for. */
    private final Map<String, ECKey> signingKeys = new ConcurrentHashMap<>();
    private final String signingJwksUri;

    private TestIssuer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] jwks = JSONObjectUtils.toJSONString(minter.jwks()).getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks.json", exchange -> {
                jwksFetches.incrementAndGet();
                answer(exchange, "application/json", jwks);
            });
            server.createContext("/signing/", exchange -> {
                String[] path = exchange.getRequestURI().getPath().split("/");
                if (path.length != 4 || !path[3].equals("jwks.json")) {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                    return;
                }
                answer(exchange, "application/jwk-set+json", JSONObjectUtils.toJSONString(
                        new JWKSet(signingKey(path[2]).toPublicJWK()).toJSONObject()).getBytes(StandardCharsets.UTF_8));
            });
            server.start();
            jwkSetUri = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
            signingJwksUri = "http://127.0.0.1:" + server.getAddress().getPort() + "/signing/{service}/jwks.json";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(HttpExchange exchange, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public static synchronized TestIssuer shared() {
        if (shared == null) {
            shared = new TestIssuer();
        }
        return shared;
    }

    public TokenMinter minter() {
        return minter;
    }

    public String jwkSetUri() {
        return jwkSetUri;
    }

    /** Where the services' public record-signing keys are served, with {@code {service}} for the service's name. */
    public String signingJwksUri() {
        return signingJwksUri;
    }

    /**
     * The settings every service under test is given, as {@code name=value} pairs: trust this issuer, listen on
     * loopback, wrap client keys with this JVM's own master key (services have no default key), log plain lines
     * into the test's output (a test that checks the JSON logs asks for them), and let the few test subjects call as
     * often as the tests need.
     */
    public Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "stillpoint.security.issuer", ISSUER, "stillpoint.security.jwk-set-uri", jwkSetUri,
                "stillpoint.security.audience", AUDIENCE, "server.address", "127.0.0.1",
                "stillpoint.crypto.master-key", masterKey, "logging.structured.format.console", "",
                // tests call as few subjects many times; the limits have tests of their own
                "stillpoint.security.rate-limit.burst", "1000000",
                "stillpoint.security.rate-limit.per-second", "1000000",
                "stillpoint.security.rate-limit.concurrent", "1000"));
        // the tests of the other rules call as subjects no directory names: decided on their tokens, as configured
        // (the directory's own tests set refuse, and name their members)
        properties.put("stillpoint.directory.unknown-callers", "trust-token");
        // each service signs with its own key, chosen by its name; every consumer fetches the keys from here
        properties.put("stillpoint.signing.key", "${stillpoint.test.signing-keys.${spring.application.name}}");
        for (String service : List.of("consent-service", "session-service", "referral-service", "audit-service",
                                       "delivery-service", "directory-service")) {
            properties.put("stillpoint.test.signing-keys." + service, signingKey(service).toJSONString());
        }
        properties.put("stillpoint.signing.jwks-uri", signingJwksUri);
        // the name index's key, like the master key this JVM's own
        properties.put("stillpoint.search.name-index-key", nameIndexKey);
        return Map.copyOf(properties);
    }

    /** The private record-signing key of {@code service} ({@code consent-service}), as the service under test has it. */
    public ECKey signingKey(String service) {
        return signingKeys.computeIfAbsent(service, name -> {
            try {
                return new ECKeyGenerator(Curve.P_256).keyID("test-" + name).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** How often anyone fetched this issuer's JWKS since the JVM started. */
    public int jwksFetches() {
        return jwksFetches.get();
    }

    public void register(DynamicPropertyRegistry registry) {
        properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** A token valid for an hour. */
    public String token(String subject, String organisation, List<String> clinics, List<String> roles) {
        return minter.mint(subject, organisation, clinics, roles, Duration.ofHours(1));
    }

    /** The tests' default caller: a practitioner of {@link #CLINIC} in {@link #ORGANISATION}. */
    public String practitioner() {
        return token("pat-practitioner", ORGANISATION, List.of(CLINIC), List.of("PRACTITIONER"));
    }

    /** A clinic admin of {@link #CLINIC} in {@link #ORGANISATION}. */
    public String clinicAdmin() {
        return token("cam-clinic-admin", ORGANISATION, List.of(CLINIC), List.of("CLINIC_ADMIN"));
    }

    /** A compliance officer of {@link #ORGANISATION}: reads the organisation's audit, writes nothing. */
    public String complianceOfficer() {
        return token("cole-compliance", ORGANISATION, List.of(), List.of("COMPLIANCE_OFFICER"));
    }

    /** An operator: dead letters and health, no client's record. */
    public String operator() {
        return token("ola-operator", ORGANISATION, List.of(), List.of("OPERATOR"));
    }
}
