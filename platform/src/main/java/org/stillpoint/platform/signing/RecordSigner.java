package org.stillpoint.platform.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.stillpoint.contracts.SignedContent;
import org.stillpoint.platform.publication.CloudEventHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs each record a service produces: a detached JWS (ES256, RFC 7515 appendix F) over its {@link SignedContent},
 * carried in the {@code ce_signature} header. {@link #jwks()} is what the service publishes at
 * {@code /.well-known/jwks.json}: the signing key's public part and the other published keys (the next key of a
 * rotation, and earlier ones so that records signed before it still verify).
 */
public final class RecordSigner {

    private final ECKey key;
    private final JWSHeader header;
    private final ECDSASigner signer;
    private final JWKSet published;

    public RecordSigner(ECKey key, List<ECKey> published) {
        this.key = key;
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build();
        try {
            this.signer = new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("the signing key cannot sign: " + e.getMessage(), e);
        }
        List<JWK> keys = new ArrayList<>();
        keys.add(key.toPublicJWK());
        published.stream().filter(k -> !k.getKeyID().equals(key.getKeyID())).map(ECKey::toPublicJWK).forEach(keys::add);
        this.published = new JWKSet(keys);
    }

    /** Adds the signature header to a record whose topic, key, attributes and value are final. */
    public ProducerRecord<String, byte[]> sign(ProducerRecord<String, byte[]> record) {
        record.headers().remove(CloudEventHeaders.SIGNATURE);
        String signature = signature(SignedContent.of(record.topic(), record.key(),
                                             name -> CloudEventHeaders.text(record.headers(), name), record.value()));
        record.headers().add(new RecordHeader(CloudEventHeaders.SIGNATURE, signature.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    String signature(byte[] content) {
        JWSObject jws = new JWSObject(header, new Payload(content));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a record failed: " + e.getMessage(), e);
        }
        return jws.serialize(true);
    }

    public String keyId() {
        return key.getKeyID();
    }

    /** The public keys, for {@code /.well-known/jwks.json}. */
    public JWKSet jwks() {
        return published;
    }
}
