package org.stillpoint.platform.record;

import com.nimbusds.jose.jwk.ECKey;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records signed by their producer, verified against the keys it publishes over real HTTP, through a rotation. */
class RecordSignaturesTest {

    private static final String TOPIC = "stillpoint.consent.v1";
    private static final String SOURCE = "/stillpoint/consent-service";

    /** What each service publishes at its JWKS address, by name; changed by the rotation test. */
    private final Map<String, RecordSigner> published = new ConcurrentHashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final HttpServer server = server();
    private final RecordVerifier verifier = RecordVerifier.fetching(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/{service}/jwks.json");

    private final ECKey consentKey = SigningKey.generate("consent-1");
    private final RecordSigner consent = new RecordSigner(consentKey, List.of());
    private final RecordSigner session = new RecordSigner(SigningKey.generate("session-1"), List.of());

    RecordSignaturesTest() {
        published.put("consent-service", consent);
        published.put("session-service", session);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aSignedRecordVerifies() {
        assertThatCode(() -> verifier.verify(received(consent.sign(record())), SOURCE)).doesNotThrowAnyException();
    }

    @Test
    void aChangedValueAttributeOrKeyDoesNotVerify() {
        ProducerRecord<String, byte[]> signed = consent.sign(record());
        assertRefused(copy(signed, r -> new ProducerRecord<>(r.topic(), null, r.key(),
                                                              "{\"clientId\":\"c-1\",\"x\":2}".getBytes(),
                                                              r.headers())), "bad-signature");
        assertRefused(copy(signed, r -> withHeader(r, CloudEventHeaders.SEQUENCE, "99")), "bad-signature");
        assertRefused(copy(signed, r -> withHeader(r, CloudEventHeaders.TYPE,
                                                   "stillpoint.consent.client-registered.v1")), "bad-signature");
        assertRefused(copy(signed, r -> new ProducerRecord<>(r.topic(), null, "c-2", r.value(), r.headers())),
                      "bad-signature");
        assertRefused(copy(signed, r -> new ProducerRecord<>("stillpoint.session.v1", null, r.key(), r.value(),
                                                              r.headers())), "bad-signature");
    }

    @Test
    void aBatchIsSignedOnceAndEachOfItsRecordsVerifiesAloneWithOneFetchAndOneCheck() {
        List<ProducerRecord<String, byte[]>> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 37; i++) {
            batch.add(record("c-" + i));
        }
        consent.signAll(batch);
        assertThat(batch).extracting(r -> new String(r.headers().lastHeader(CloudEventHeaders.SIGNATURE).value()))
                         .as("one signature for the batch").containsOnly(
                                 new String(batch.getFirst().headers().lastHeader(CloudEventHeaders.SIGNATURE).value()));
        java.util.Collections.shuffle(batch);
        for (ProducerRecord<String, byte[]> record : batch) {
            verifier.verify(received(record), SOURCE);
        }
        assertThat(fetches.get()).isEqualTo(1);
        // a record's proof moved onto another record of the batch, or the value changed, no longer verifies
        ProducerRecord<String, byte[]> moved = copy(batch.get(0), r -> withHeader(r, "ce_signatureproof",
                new String(batch.get(1).headers().lastHeader("ce_signatureproof").value())));
        assertRefused(moved, "bad-signature");
        assertRefused(copy(batch.get(2), r -> new ProducerRecord<>(r.topic(), null, r.key(), "{}".getBytes(),
                                                                   r.headers())), "bad-signature");
        assertRefused(copy(batch.get(3), r -> withHeader(r, "ce_signatureproof", "0")), "bad-signature");
    }

    @Test
    void anUnsignedOrMalformedSignatureIsRefused() {
        assertRefused(record(), "unsigned");
        assertRefused(withHeader(record(), CloudEventHeaders.SIGNATURE, "not-a-jws"), "bad-signature");
    }

    @Test
    void aRecordSignedByAnotherServicesKeyIsRefusedForThisSource() {
        assertRefused(session.sign(record()), "unknown-key");
        RecordSigner stranger = new RecordSigner(SigningKey.generate("consent-1"), List.of());
        assertRefused(stranger.sign(record()), "bad-signature");
    }

    @Test
    void aRotationPublishesTheNextKeyFirstAndKeepsTheOldOneSoEveryRecordVerifies() {
        ProducerRecord<String, byte[]> beforeRotation = consent.sign(record());
        verifier.verify(received(beforeRotation), SOURCE);
        ECKey next = SigningKey.generate("consent-2");
        // step 1: the next key is published beside the signing one
        published.put("consent-service", new RecordSigner(consentKey, List.of(next)));
        verifier.verify(received(consent.sign(record())), SOURCE);
        // step 2: the service signs with the next key and still publishes the earlier one
        RecordSigner rotated = new RecordSigner(next, List.of(consentKey));
        published.put("consent-service", rotated);
        int before = fetches.get();
        verifier.verify(received(rotated.sign(record())), SOURCE);
        assertThat(fetches.get()).as("an unknown key id fetches the keys again").isEqualTo(before + 1);
        verifier.verify(received(beforeRotation), SOURCE);
        assertThat(rotated.jwks().getKeys()).extracting(k -> k.getKeyID()).containsExactly("consent-2", "consent-1");
        assertThat(rotated.jwks().getKeys()).noneMatch(k -> k.isPrivate());
    }

    @Test
    void unknownKeyIdsCannotMakeTheVerifierHammerThePublisher() {
        verifier.verify(received(consent.sign(record())), SOURCE);
        for (int i = 0; i < 20; i++) {
            RecordSigner random = new RecordSigner(SigningKey.generate("random-" + i), List.of());
            assertThatThrownBy(() -> verifier.verify(received(random.sign(record())), SOURCE)).isInstanceOfSatisfying(
                    InvalidRecord.class, e -> assertThat(e.reason()).isEqualTo("unknown-key"));
        }
        assertThat(fetches.get()).as("at most two fetches per 30 s").isLessThanOrEqualTo(2);
    }

    @Test
    void aPublisherThatCannotBeReachedIsNoVerdictOnTheRecord() {
        verifier.verify(received(consent.sign(record())), SOURCE);
        server.stop(0);
        // the kept keys still verify what they hold
        verifier.verify(received(consent.sign(record("c-2"))), SOURCE);
        // a key id they lack cannot be looked up: tried again later, never parked as unknown-key
        RecordSigner next = new RecordSigner(SigningKey.generate("consent-2"), List.of());
        assertThatThrownBy(() -> verifier.verify(received(next.sign(record())), SOURCE))
                .isInstanceOf(RecordVerifier.KeysUnavailable.class).isNotInstanceOf(InvalidRecord.class);
        assertThatThrownBy(() -> verifier.verify(received(next.sign(record("c-3"))), SOURCE))
                .as("and again while it stays away").isInstanceOf(RecordVerifier.KeysUnavailable.class);
    }

    private void assertRefused(ProducerRecord<String, byte[]> record, String reason) {
        assertThatThrownBy(() -> verifier.verify(received(record), SOURCE)).isInstanceOfSatisfying(
                InvalidRecord.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static ProducerRecord<String, byte[]> record() {
        return record("c-1");
    }

    private static ProducerRecord<String, byte[]> record(String client) {
        List<Header> headers = CloudEventHeaders.of("e-" + client, "stillpoint.consent.consent-granted.v1", SOURCE,
                                                    Instant.parse("2026-12-01T10:00:00Z"), client, client, 3);
        return new ProducerRecord<>(TOPIC, null, client,
                                    ("{\"clientId\":\"" + client + "\"}").getBytes(StandardCharsets.UTF_8), headers);
    }

    private static ProducerRecord<String, byte[]> copy(ProducerRecord<String, byte[]> record,
                                                       UnaryOperator<ProducerRecord<String, byte[]>> change) {
        return change.apply(new ProducerRecord<>(record.topic(), null, record.key(), record.value(),
                                                 new RecordHeaders(record.headers().toArray())));
    }

    private static ProducerRecord<String, byte[]> withHeader(ProducerRecord<String, byte[]> record, String name,
                                                             String value) {
        record.headers().remove(name);
        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static ConsumerRecord<String, byte[]> received(ProducerRecord<String, byte[]> sent) {
        return new ConsumerRecord<>(sent.topic(), 0, 0, 0, TimestampType.CREATE_TIME, 0, 0, sent.key(), sent.value(),
                                    new RecordHeaders(sent.headers().toArray()), Optional.empty());
    }

    private HttpServer server() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", exchange -> {
                fetches.incrementAndGet();
                String service = exchange.getRequestURI().getPath().split("/")[1];
                RecordSigner signer = published.get(service);
                byte[] body = signer == null ? new byte[0]
                        : com.nimbusds.jose.util.JSONObjectUtils.toJSONString(signer.jwks().toJSONObject())
                                                                 .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(signer == null ? 404 : 200, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
