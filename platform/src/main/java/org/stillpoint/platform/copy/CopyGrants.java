package org.stillpoint.platform.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.platform.record.RecordSigner;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Copy grants: a compact JWS (ES256) that consent-service signs with its record-signing key, typed
 * {@value #TYPE} so that it is never taken for a record's signature or a ledger checkpoint, and that the services
 * holding the rest of a client's record check against consent-service's published keys before they hand their part of
 * it over ({@value #HEADER}). A grant names one copy request and one client, and lasts minutes; the part is read as the
 * client's own read, and logged as such.
 */
public final class CopyGrants {

    public static final String TYPE = "stillpoint-copy-grant+jws";
    public static final String HEADER = "Stillpoint-Copy-Grant";
    /** The one service whose grants are taken. */
    public static final String ISSUER = "consent-service";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordSigner signer;
    private final Supplier<JWKSource<SecurityContext>> consentServiceKeys;
    private final Clock clock;
    private volatile JWKSource<SecurityContext> keys;

    /**
     * @param signer             this service's record signer: only consent-service's grants check anywhere
     * @param consentServiceKeys consent-service's published keys, fetched when a grant is first checked
     */
    public CopyGrants(RecordSigner signer, Supplier<JWKSource<SecurityContext>> consentServiceKeys, Clock clock) {
        this.signer = signer;
        this.consentServiceKeys = consentServiceKeys;
        this.clock = clock;
    }

    /** Signs a grant (consent-service, the owner of the copy request). */
    public String sign(CopyGrant grant) {
        ObjectNode claims = JSON.createObjectNode()
                .put("requestId", grant.requestId().toString())
                .put("clientId", grant.clientId().toString())
                .put("organisationId", grant.organisationId().toString())
                .put("notesReleased", grant.notesReleased())
                .put("exp", grant.expiresAt().getEpochSecond());
        return signer.signStatement(TYPE, claims.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The grant {@code jws} is, for copy request {@code requestId}; {@code 403 copy-grant-invalid} when it is missing,
     * not a grant signed by consent-service, for another request, or expired.
     */
    public CopyGrant check(String jws, UUID requestId) {
        if (jws == null || jws.isBlank()) {
            throw invalid("no " + HEADER + " header");
        }
        JWSObject object;
        try {
            object = JWSObject.parse(jws.strip());
        } catch (ParseException e) {
            throw invalid("not a compact JWS");
        }
        if (!JWSAlgorithm.ES256.equals(object.getHeader().getAlgorithm())
                || !new JOSEObjectType(TYPE).equals(object.getHeader().getType()) || object.getHeader().getKeyID() == null) {
            throw invalid("not an ES256 " + TYPE + " with a kid");
        }
        if (!verifies(object)) {
            throw invalid("its signature does not verify with consent-service's published keys");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(object.getPayload().toBytes());
        } catch (IOException e) {
            throw invalid("its claims are not JSON");
        }
        CopyGrant grant;
        try {
            grant = new CopyGrant(UUID.fromString(claims.path("requestId").asText()),
                                  ClientId.of(claims.path("clientId").asText()),
                                  OrganisationId.of(claims.path("organisationId").asText()),
                                  claims.path("notesReleased").asBoolean(false),
                                  Instant.ofEpochSecond(claims.path("exp").asLong(0)));
        } catch (IllegalArgumentException e) {
            throw invalid("its claims are not a copy grant's");
        }
        if (!grant.requestId().equals(requestId)) {
            throw invalid("it is for another copy request");
        }
        if (!grant.expiresAt().isAfter(clock.instant())) {
            throw invalid("it expired at " + grant.expiresAt());
        }
        return grant;
    }

    /**
     * The client a part of a copy is read for, once {@code jws} is checked as the grant of {@code requestId}: read as the
     * client's own read, logged so, and refused as theirs would be (erased, another organisation).
     */
    public Reading read(String jws, UUID requestId, ClientAccess access) {
        CopyGrant grant = check(jws, requestId);
        return new Reading(grant, access.self(caller(grant), AccessAction.READ));
    }

    /** A part of a copy being read: under which grant, for which client. */
    public record Reading(CopyGrant grant, ClientPlacement client) {
    }

    /**
     * The caller a grant stands for: the client, reading their own record for their copy (the access log names the
     * client as the reader, as when they read it in their own view).
     */
    public static Caller caller(CopyGrant grant) {
        return new Caller("copy/" + grant.requestId(), grant.organisationId(), Set.of(), Set.of(Role.CLIENT),
                          grant.clientId());
    }

    private boolean verifies(JWSObject object) {
        List<JWK> keys;
        try {
            keys = issuerKeys().get(new JWKSelector(new JWKMatcher.Builder().keyType(KeyType.EC)
                                                          .keyID(object.getHeader().getKeyID()).build()), null);
        } catch (KeySourceException e) {
            throw Refusal.retryLater("signing-keys-unavailable", null, "consent-service's signing keys cannot be "
                    + "fetched now; try again shortly.");
        }
        if (keys.isEmpty()) {
            return false;
        }
        try {
            return object.verify(new ECDSAVerifier((ECKey) keys.get(0)));
        } catch (JOSEException e) {
            return false;
        }
    }

    private JWKSource<SecurityContext> issuerKeys() {
        if (keys == null) {
            keys = consentServiceKeys.get();
        }
        return keys;
    }

    private static Refusal invalid(String why) {
        return Refusal.forbidden("copy-grant-invalid", HEADER, "The copy grant is refused: " + why + ".");
    }
}
