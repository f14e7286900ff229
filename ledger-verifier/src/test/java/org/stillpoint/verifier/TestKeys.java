package org.stillpoint.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/** An audit-service's signing key as a test holds it: signs statements as the service does, published as a JWKS. */
final class TestKeys {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ECKey key;

    TestKeys() throws Exception {
        this.key = new ECKeyGenerator(Curve.P_256).keyID("audit-1").generate();
    }

    /** The published keys. */
    JWKSet published() {
        return new JWKSet(key.toPublicJWK());
    }

    /** Another key with the same id: what a forger's signature verifies against. */
    static JWKSet another() throws Exception {
        return new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("audit-1").generate().toPublicJWK());
    }

    /** {@code statement} signed as a {@code type} JWS, compact. */
    String jws(String type, JsonNode statement) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                                                                                .type(new JOSEObjectType(type)).build(),
                                      new Payload(JSON.writeValueAsBytes(statement)));
        jws.sign(new ECDSASigner(key));
        return jws.serialize();
    }
}
