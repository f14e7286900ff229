package org.stillpoint.integrator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.stillpoint.contracts.SignedContent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks a record's signature as docs/INTEGRATORS.md ("Checking signatures") describes: the record's content
 * ({@link SignedContent}) and its inclusion proof give the root of the tree its publisher signed; the detached JWS in
 * {@code ce_signature} must sign that root with a key the publishing service publishes. The keys are fetched from
 * {@code jwksUri} with {@code {service}} replaced by the service's name, again when a key id is not among them (at most
 * once a minute, so a stream of made-up key ids cannot hammer the publisher).
 */
final class RecordSignatures {

    private static final Duration REFETCH_AFTER = Duration.ofMinutes(1);

    private final String jwksUri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, JWKSet> keys = new HashMap<>();
    private final Map<String, Instant> fetched = new HashMap<>();
    /** The root each signature was verified over: the records of one batch share their signature. */
    private final Map<String, byte[]> verified = new HashMap<>();

    RecordSignatures(String jwksUri) {
        this.jwksUri = jwksUri;
    }

    /**
     * Why the record's signature does not hold ({@code unsigned}, {@code bad-proof}, {@code bad-signature},
     * {@code unknown-key}); null when it does.
     *
     * @param service the service that must have signed it: the owner of the topic it was read from
     * @throws IOException when the service's keys cannot be fetched (the consumer stops and is run again later)
     */
    String problem(ConsumerRecord<String, byte[]> record, String service) throws IOException, InterruptedException {
        return problem(record.topic(), record.key(), name -> header(record, name), record.value(), service);
    }

    /**
     * As {@link #problem(ConsumerRecord, String)}, for a record given by its parts: its topic, its key, its headers by
     * name ({@code ce_id}, {@code content-type}, …) and its value — as a webhook carries them.
     */
    String problem(String topic, String recordKey, Function<String, String> headers, byte[] value, String service)
            throws IOException, InterruptedException {
        String signature = headers.apply(SignedContent.HEADER);
        if (signature == null) {
            return "unsigned";
        }
        byte[] root;
        try {
            byte[] content = SignedContent.of(topic, recordKey, headers, value);
            root = SignedContent.root(SignedContent.leaf(content), headers.apply(SignedContent.PROOF_HEADER));
        } catch (IllegalArgumentException e) {
            return "bad-proof";
        }
        if (Arrays.equals(verified.get(service + " " + signature), root)) {
            return null;
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(signature, new Payload(root));
        } catch (ParseException e) {
            return "bad-signature";
        }
        if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm()) || jws.getHeader().getKeyID() == null) {
            return "bad-signature";
        }
        JWK key = key(service, jws.getHeader().getKeyID());
        if (!(key instanceof ECKey ecKey)) {
            return "unknown-key";
        }
        try {
            if (!jws.verify(new ECDSAVerifier(ecKey))) {
                return "bad-signature";
            }
        } catch (JOSEException e) {
            return "bad-signature";
        }
        if (verified.size() > 10_000) {
            verified.clear();
        }
        verified.put(service + " " + signature, root);
        return null;
    }

    private JWK key(String service, String keyId) throws IOException, InterruptedException {
        JWKSet known = keys.get(service);
        JWK key = known == null ? null : known.getKeyByKeyId(keyId);
        Instant last = fetched.get(service);
        if (key == null && (last == null || last.plus(REFETCH_AFTER).isBefore(Instant.now()))) {
            fetched.put(service, Instant.now());
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(jwksUri.replace("{service}", service)))
                               .timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("the signing keys of " + service + " answered " + response.statusCode());
            }
            try {
                keys.put(service, JWKSet.parse(response.body()));
            } catch (ParseException e) {
                throw new IOException("the signing keys of " + service + " are not a JWK set", e);
            }
            key = keys.get(service).getKeyByKeyId(keyId);
        }
        return key;
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
