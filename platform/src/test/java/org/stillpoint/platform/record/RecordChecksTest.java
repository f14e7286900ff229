package org.stillpoint.platform.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.consent.ConsentGranted;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a consumer checks before it trusts a record, and which failures hold the client: only those of a record its
 * topic's producer signed. A record nobody signed is refused whatever is wrong with it first.
 */
class RecordChecksTest {

    private static final String TOPIC = PublishedTypes.CONSENT_TOPIC;
    private static final String SOURCE = "/stillpoint/consent-service";
    private final RecordSigner consent = new RecordSigner(SigningKey.generate("consent-1"), List.of());
    private final RecordVerifier verifier = new RecordVerifier(
            service -> new ImmutableJWKSet<>(service.equals("consent-service") ? consent.jwks()
                                                     : new com.nimbusds.jose.jwk.JWKSet()));
    private final Set<Class<?>> known = Set.of(ConsentGranted.class);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aGenuineRecordsOwnMistakeHoldsItsClient() {
        assertRefused(consent.sign(record("stillpoint.consent.granted.v1", SOURCE, "c-1", "{not json")), "unreadable", true);
        assertRefused(consent.sign(record("stillpoint.consent.renamed.v9", SOURCE, "c-1", "{}")), "unknown-type", true);
        ProducerRecord<String, byte[]> badSequence = record("stillpoint.consent.granted.v1", SOURCE, "c-1", "{}");
        badSequence.headers().remove("ce_sequence");
        badSequence.headers().add("ce_sequence", "three".getBytes(StandardCharsets.UTF_8));
        assertRefused(consent.sign(badSequence), "bad-sequence", true);
    }

    @Test
    void aRecordNobodySignedHoldsNobodyWhateverIsWrongWithIt() {
        assertRefused(record("stillpoint.consent.granted.v1", SOURCE, "c-1", "{}"), "unsigned", false);
        assertRefused(record("stillpoint.consent.renamed.v9", SOURCE, "c-1", "{}"), "unknown-type", false);
        assertRefused(record("stillpoint.consent.granted.v1", "/somebody-else", "c-1", "{}"), "foreign-source", false);
        assertRefused(consent.sign(record("stillpoint.consent.granted.v1", "/somebody-else", "c-1", "{}")),
                      "foreign-source", false);
        RecordSigner impostor = new RecordSigner(SigningKey.generate("consent-1"), List.of());
        assertRefused(impostor.sign(record("stillpoint.consent.renamed.v9", SOURCE, "c-1", "{}")), "unknown-type", false);
    }

    private void assertRefused(ProducerRecord<String, byte[]> sent, String reason, boolean authenticated) {
        ConsumerRecord<String, byte[]> received = new ConsumerRecord<>(
                sent.topic(), 0, 0, 0, TimestampType.CREATE_TIME, 0, 0, sent.key(), sent.value(),
                new RecordHeaders(sent.headers().toArray()), Optional.empty());
        assertThatThrownBy(() -> RecordChecks.check(received, TOPIC, known, json, verifier))
                .isInstanceOfSatisfying(InvalidRecord.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(reason);
                    org.assertj.core.api.Assertions.assertThat(e.authenticated()).as("holds its client")
                                                   .isEqualTo(authenticated);
                });
    }

    private static ProducerRecord<String, byte[]> record(String type, String source, String client, String value) {
        List<Header> headers = CloudEventHeaders.of("e-" + client, type, source, Instant.parse("2026-12-01T10:00:00Z"),
                                                    client, client, 3);
        return new ProducerRecord<>(TOPIC, null, client, value.getBytes(StandardCharsets.UTF_8), headers);
    }
}
