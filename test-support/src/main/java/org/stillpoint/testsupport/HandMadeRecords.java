package org.stillpoint.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.stillpoint.contracts.SignedContent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Records written to a topic by hand, as a bug or an intruder would: CloudEvents headers that look genuine around
 * whatever value and key a test chooses. For the fault and forgery tests. They are signed, unless a test says
 * otherwise, with the key of the service their {@code ce_source} names ({@link TestIssuer#signingKey(String)}), so that
 * a consumer's other checks are reached: a bug in a genuine service signs what it sends.
 */
public final class HandMadeRecords {

    private HandMadeRecords() {
    }

    /** The headers a service would send for an event of {@code type} of aggregate {@code aggregateId} at {@code sequence}. */
    public static Map<String, String> headers(String type, String source, String subject, String aggregateId,
                                              long sequence) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", UUID.randomUUID().toString());
        headers.put("ce_type", type);
        headers.put("ce_source", source);
        headers.put("ce_time", Instant.now().toString());
        headers.put("ce_subject", subject);
        headers.put("content-type", "application/json");
        headers.put("ce_aggregateid", aggregateId);
        headers.put("ce_sequence", Long.toString(sequence));
        headers.put(PublishedRecords.HAND_MADE, "true");
        return headers;
    }

    /** Sends one record signed as its source would sign it, and waits for the broker's acknowledgement. */
    public static void send(String topic, String key, Map<String, String> headers, String value) {
        String source = headers.getOrDefault("ce_source", "");
        send(topic, key, headers, value, TestIssuer.shared().signingKey(source.substring(source.lastIndexOf('/') + 1)));
    }

    /** Sends one record without a signature. */
    public static void sendUnsigned(String topic, String key, Map<String, String> headers, String value) {
        send(topic, key, headers, value, null);
    }

    /** Sends one record signed with {@code signingKey} (none when null). */
    public static void send(String topic, String key, Map<String, String> headers, String value, ECKey signingKey) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Backends.shared().kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
            headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
            record.headers().remove(PublishedRecords.HAND_MADE);
            record.headers().add(PublishedRecords.HAND_MADE, "true".getBytes(StandardCharsets.UTF_8));
            if (signingKey != null) {
                sign(record, signingKey);
            }
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker refused a hand-made record", e);
        }
    }

    /** Adds the signature a service would add to a record sent alone ({@link SignedContent}), made with {@code signingKey}. */
    public static ProducerRecord<String, byte[]> sign(ProducerRecord<String, byte[]> record, ECKey signingKey) {
        record.headers().remove(SignedContent.HEADER);
        record.headers().remove(SignedContent.PROOF_HEADER);
        byte[] content = SignedContent.of(record.topic(), record.key(), name -> {
            Header last = record.headers().lastHeader(name);
            return last == null ? null : new String(last.value(), StandardCharsets.UTF_8);
        }, record.value());
        List<List<byte[]>> tree = SignedContent.tree(List.of(SignedContent.leaf(content)));
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).build(),
                                      new Payload(tree.getLast().getFirst()));
        try {
            jws.sign(new ECDSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        record.headers().add(SignedContent.HEADER, jws.serialize(true).getBytes(StandardCharsets.UTF_8));
        record.headers().add(SignedContent.PROOF_HEADER, SignedContent.proof(tree, 0).getBytes(StandardCharsets.UTF_8));
        record.headers().remove(PublishedRecords.HAND_MADE);
        record.headers().add(PublishedRecords.HAND_MADE, "true".getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
