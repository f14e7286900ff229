package org.stillpoint.platform.record;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs the records a service produces: the records sent together form a tree of their {@link SignedContent}, whose
 * root one detached JWS (ES256, RFC 7515 appendix F) signs; each record carries that JWS in {@code ce_signature} and
 * its inclusion proof in {@code ce_signatureproof}. One ECDSA signature per batch rather than per record: on this
 * JDK an ES256 signature costs about 0.3 ms and its verification about 1 ms. {@link #jwks()} is what the service publishes at
 * {@code /.well-known/jwks.json}: the signing key's public part and the other published keys (the next key of a
 * rotation, and earlier ones so that records signed before it still verify).
 */
public final class RecordSigner {

    private final JWSHeader header;
    private final ECDSASigner signer;
    private final JWKSet published;

    public RecordSigner(ECKey key, List<ECKey> published) {
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

    /** Signs one record whose topic, key, attributes and value are final: a tree of one. */
    public ProducerRecord<String, byte[]> sign(ProducerRecord<String, byte[]> record) {
        signAll(List.of(record));
        return record;
    }

    /** Signs records sent together, whose topics, keys, attributes and values are final, with one signature. */
    public void signAll(List<ProducerRecord<String, byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        List<byte[]> leaves = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            record.headers().remove(CloudEventHeaders.SIGNATURE);
            record.headers().remove(SignedContent.PROOF_HEADER);
            leaves.add(SignedContent.leaf(SignedContent.of(record.topic(), record.key(),
                                                           name -> CloudEventHeaders.text(record.headers(), name),
                                                           record.value())));
        }
        List<List<byte[]>> tree = SignedContent.tree(leaves);
        byte[] signature = signature(tree.getLast().getFirst()).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < records.size(); i++) {
            records.get(i).headers().add(new RecordHeader(CloudEventHeaders.SIGNATURE, signature));
            records.get(i).headers().add(new RecordHeader(SignedContent.PROOF_HEADER,
                                                          SignedContent.proof(tree, i).getBytes(StandardCharsets.UTF_8)));
        }
    }

    String signature(byte[] root) {
        JWSObject jws = new JWSObject(header, new Payload(root));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a record failed: " + e.getMessage(), e);
        }
        return jws.serialize(true);
    }

    /**
     * A statement of the service other than a record — the audit's ledger checkpoints — as a compact JWS with the
     * payload attached, signed with the same key and typed {@code type}, so that it is never taken for a record's
     * signature.
     */
    public String signStatement(String type, byte[] payload) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(header).type(new JOSEObjectType(type)).build(),
                                      new Payload(payload));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a statement failed: " + e.getMessage(), e);
        }
        return jws.serialize();
    }

    /** The public keys, for {@code /.well-known/jwks.json}. */
    public JWKSet jwks() {
        return published;
    }
}
