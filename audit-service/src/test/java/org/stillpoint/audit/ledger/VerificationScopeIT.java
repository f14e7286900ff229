package org.stillpoint.audit.ledger;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.platform.config.ConsumerProperties;
import org.stillpoint.platform.record.InvalidRecord;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.health.ConsumerLag;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.UsesBackends;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each organisation's verification depends on its own records only: another organisation's parked record or waiting
 * event, a record no producer signed, or one whose organisation cannot be told, makes no other organisation's verdict
 * incomplete.
 */
@UsesBackends
class VerificationScopeIT {

    @Test
    void anOrganisationsIngestCountsItsOwnRecordsOnly() {
        try (MongoClient client = MongoClients.create(Backends.shared().mongoConnectionString())) {
            MongoTemplate mongo = new MongoTemplate(client, "scope-" + UUID.randomUUID().toString().substring(0, 8));
            String atStillwater = UUID.randomUUID().toString();
            String atRiverside = UUID.randomUUID().toString();
            mongo.insert(new Document("_id", atStillwater).append("organisationId", "stillwater"), AuditClient.COLLECTION);
            mongo.insert(new Document("_id", atRiverside).append("organisationId", "riverside"), AuditClient.COLLECTION);
            Quarantine quarantine = new Quarantine(mongo, Clock.systemUTC(), act -> { });
            // riverside: a genuine record that failed, and an event waiting for its client's registration
            quarantine.park(Verification.INGEST_GROUP, record(atRiverside, 1, "{}"), new IllegalStateException("failed"));
            Ledger ledger = new Ledger(mongo, Clock.systemUTC());
            ledger.append(UUID.randomUUID().toString(), null, UUID.randomUUID().toString(), "stillpoint.referral.v1", 0, 2,
                          Map.of("ce_id", "e2"), "{\"organisationId\":\"riverside\"}");
            // a forged record naming a stillwater client; a record and an event of no organisation that can be told
            quarantine.park(Verification.INGEST_GROUP, record(atStillwater, 3, "{}"),
                            new InvalidRecord("unsigned", "the record has no ce_signature"));
            quarantine.park(Verification.INGEST_GROUP, record(UUID.randomUUID().toString(), 4, "{}"),
                            new IllegalStateException("failed"));
            ledger.append(UUID.randomUUID().toString(), null, UUID.randomUUID().toString(), "stillpoint.session.v1", 0, 5,
                          Map.of("ce_id", "e5"), "{}");

            ConsumerLag caughtUp = new ConsumerLag(null) {
                @Override
                public Map<String, Long> of(String group) {
                    return Map.of("stillpoint.consent.v1", 0L);
                }
            };
            Verification verification = new Verification(mongo, Clock.systemUTC(), quarantine, caughtUp,
                                                         new ConsumerProperties(3, Duration.ofMillis(200),
                                                                                Duration.ofSeconds(5), 1000), null);
            Verification.Ingest stillwater = verification.ingest("stillwater");
            assertThat(stillwater.deadLetters()).isZero();
            assertThat(stillwater.unplaced()).isZero();
            assertThat(stillwater.current()).as("nothing of stillwater's own is missing").isTrue();
            assertThat(stillwater.unattributed()).isEqualTo(2);
            Verification.Ingest riverside = verification.ingest("riverside");
            assertThat(riverside.deadLetters()).isEqualTo(1);
            assertThat(riverside.unplaced()).isEqualTo(1);
            assertThat(riverside.current()).isFalse();
        }
    }

    private static ConsumerRecord<String, byte[]> record(String key, long offset, String value) {
        return new ConsumerRecord<>("stillpoint.consent.v1", 0, offset, key, value.getBytes(StandardCharsets.UTF_8));
    }
}
