package org.stillpoint.platform.record;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.SecurityContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.stillpoint.contracts.SignedContent;
import org.stillpoint.security.RemoteKeys;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Checks a record's signature against the published keys of the service its {@code ce_source} names (DESIGN §4): the
 * record's content and inclusion proof give the root of the tree it was signed in, which the JWS must sign. A root
 * verified once is remembered with its signature (the records of a batch share both), so a batch costs one ECDSA
 * verification. A record without a signature, with one that does not verify, or signed by a key its source does not
 * publish is an {@link InvalidRecord} ({@code unsigned}, {@code bad-signature}, {@code unknown-key}) and is parked; a key
 * id the keys fetched in the last 30 s lack is unknown (a rotation publishes the next key minutes before it signs).
 * When the keys cannot be fetched — the publisher away, or asked moments ago — the check fails with
 * {@link KeysUnavailable}, which the consumers retry with a growing wait for as long as it lasts (never parked, least of
 * all as {@code unknown-key}): only a publisher that answered without the key makes a key unknown.
 */
public final class RecordVerifier {

    private final Function<String, JWKSource<SecurityContext>> keysOf;
    private static final int REMEMBERED_ROOTS = 10_000;

    private final Map<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();
    /** Signatures verified, by service and signature, with the root each signs. */
    private final Map<String, byte[]> verified = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                    return size() > REMEMBERED_ROOTS;
                }
            });

    /** @param keysOf the published keys of a service, by its name ({@code consent-service}) */
    public RecordVerifier(Function<String, JWKSource<SecurityContext>> keysOf) {
        this.keysOf = keysOf;
    }

    /**
     * Keys fetched from {@code template} with {@code {service}} replaced by the service's name, as {@link RemoteKeys}
     * fetches them. Past its rate limit a key id the keys fetched moments ago lack is unknown (a rotation publishes the
     * next key minutes before it signs).
     */
    public static RecordVerifier fetching(String template) {
        if (template == null || template.isBlank() || !template.contains("{service}")) {
            throw new IllegalStateException("STILLPOINT_SIGNING_JWKS_URI (stillpoint.signing.jwks-uri) is not set: "
                                                    + "where this service's consumers fetch each producing service's "
                                                    + "signing keys, with {service} for its name, such as "
                                                    + "http://gateway:8080/.well-known/stillpoint/{service}/jwks.json");
        }
        return new RecordVerifier(service -> {
            try {
                return RemoteKeys.confirming(template.replace("{service}", service));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("stillpoint.signing.jwks-uri is not a URL: " + template);
            }
        });
    }

    /** @param source the record's {@code ce_source}, already checked to be an owner of its topic */
    public void verify(ConsumerRecord<String, byte[]> record, String source) {
        String signature = CloudEventHeaders.text(record.headers(), CloudEventHeaders.SIGNATURE);
        if (signature == null || signature.isBlank()) {
            throw new InvalidRecord("unsigned", "the record has no " + CloudEventHeaders.SIGNATURE);
        }
        byte[] content = SignedContent.of(record.topic(), record.key(),
                                             name -> CloudEventHeaders.text(record.headers(), name), record.value());
        byte[] root;
        try {
            root = SignedContent.root(SignedContent.leaf(content),
                                      CloudEventHeaders.text(record.headers(), SignedContent.PROOF_HEADER));
        } catch (IllegalArgumentException e) {
            throw new InvalidRecord("bad-signature", SignedContent.PROOF_HEADER + " does not prove the record: "
                    + e.getMessage());
        }
        String service = service(source);
        String remembered = service + "|" + signature;
        if (java.util.Arrays.equals(verified.get(remembered), root)) {
            return;
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(signature, new Payload(root));
        } catch (ParseException e) {
            throw new InvalidRecord("bad-signature", CloudEventHeaders.SIGNATURE + " is not a detached JWS");
        }
        String keyId = jws.getHeader().getKeyID();
        if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm()) || keyId == null) {
            throw new InvalidRecord("bad-signature", "the signature is not ES256 with a kid");
        }
        ECKey key = key(service, keyId);
        boolean valid;
        try {
            valid = jws.verify(new ECDSAVerifier(key));
        } catch (JOSEException e) {
            valid = false;
        }
        if (!valid) {
            throw new InvalidRecord("bad-signature", "the signature does not verify with key " + keyId + " of "
                                                            + source);
        }
        verified.put(remembered, root);
    }

    private ECKey key(String service, String keyId) {
        JWKSource<SecurityContext> keys = sources.computeIfAbsent(service, keysOf);
        List<JWK> found;
        try {
            found = keys.get(new JWKSelector(new JWKMatcher.Builder().keyType(KeyType.EC).keyID(keyId).build()), null);
        } catch (KeySourceException e) {
            throw new KeysUnavailable("the signing keys of " + service + " cannot be fetched now: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new InvalidRecord("unknown-key", "key " + keyId + " is not one " + service + " publishes");
        }
        return (ECKey) found.get(0);
    }

    /** The keys of a record's producer could not be looked up now: retried later, never a verdict on the record. */
    public static final class KeysUnavailable extends RuntimeException {
        public KeysUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code /stillpoint/consent-service} → {@code consent-service}. */
    static String service(String source) {
        return source.substring(source.lastIndexOf('/') + 1);
    }
}
