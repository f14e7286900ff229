package org.stillpoint.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs tokens with a key of its own and publishes that key as a JWKS: the local issuer of the local stack and of
 * tests. Production tokens come from a real identity provider (deploy/keycloak).
 */
public final class TokenMinter {

    private final RSAKey key;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    private TokenMinter(RSAKey key, String issuer, String audience, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** A minter with a fresh 2048-bit RSA key. */
    public static TokenMinter generate(String issuer, String audience) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                                                  .keyID(UUID.randomUUID().toString()).generate();
            return new TokenMinter(key, issuer, audience, Clock.systemUTC());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    /** The claims every token of this minter carries, valid from now for {@code lifetime}. */
    public JWTClaimsSet.Builder claims(String subject, String organisation, List<String> clinics, List<String> roles,
                                       Duration lifetime) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().subject(subject)
                                         .issuer(issuer)
                                         .audience(audience)
                                         .issueTime(Date.from(now))
                                         .notBeforeTime(Date.from(now))
                                         .expirationTime(Date.from(now.plus(lifetime)))
                                         .jwtID(UUID.randomUUID().toString())
                                         .claim(Caller.ORGANISATION, organisation)
                                         .claim(Caller.CLINICS, List.copyOf(clinics))
                                         .claim(Caller.ROLES, List.copyOf(roles));
    }

    public String mint(String subject, String organisation, List<String> clinics, List<String> roles,
                       Duration lifetime) {
        return sign(claims(subject, organisation, clinics, roles, lifetime).build());
    }

    /** A token of a client ({@code roles} [CLIENT]) about their own record, named by the {@code client} claim. */
    public String mintClient(String subject, String organisation, String clientId, Duration lifetime) {
        return sign(claims(subject, organisation, List.of(), List.of(Role.CLIENT.name()), lifetime)
                            .claim(Caller.CLIENT, clientId).build());
    }

    /** Signs any claims with this minter's key, naming its key id. */
    public String sign(JWTClaimsSet claims) {
        return sign(claims, key.getKeyID());
    }

    /** Signs with this minter's key but names {@code keyId} in the header. */
    public String sign(JWTClaimsSet claims, String keyId) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                                                                                .keyID(keyId).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** The key pair, for an authorization server that signs with it (the local stack's identity provider). */
    public JWKSource<SecurityContext> jwkSource() {
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    /** The public half of the key, as a JWK Set document. */
    public Map<String, Object> jwks() {
        return new JWKSet(key.toPublicJWK()).toJSONObject(true);
    }
}
