package org.stillpoint.audit.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.stillpoint.audit.ledger.Ledger;
import org.stillpoint.audit.ledger.LedgerEntry;
import org.stillpoint.audit.ledger.Verification;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.UsesBackends;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two audit instances appending to one ledger at once — some events delivered to both, as in a rebalance — leave one
 * chain: every index used once, no fork, every event once, each link chained to the one before.
 */
@UsesBackends
class LedgerInstancesIT {

    @Test
    void twoInstancesAppendingAtOnceLeaveOneValidChain() throws Exception {
        try (MongoClient client = MongoClients.create(Backends.shared().mongoConnectionString())) {
            MongoTemplate mongo = new MongoTemplate(client, "ledger-" + UUID.randomUUID().toString().substring(0, 8));
            Ledger one = new Ledger(mongo, java.time.Clock.systemUTC());
            Ledger two = new Ledger(mongo, java.time.Clock.systemUTC());
            List<String> shared = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                shared.add(UUID.randomUUID().toString());
            }
            ExecutorService instances = Executors.newFixedThreadPool(2);
            List<Future<List<Ledger.Outcome>>> results = new ArrayList<>();
            for (Ledger ledger : List.of(one, two)) {
                Callable<List<Ledger.Outcome>> work = () -> {
                    List<Ledger.Outcome> outcomes = new ArrayList<>();
                    for (int i = 0; i < 60; i++) {
                        String id = i % 3 == 0 ? shared.get(i / 3) : UUID.randomUUID().toString();
                        outcomes.add(ledger.append(id, "stillwater", null, "stillpoint.session.v1", 0, i, Map.of("ce_id", id), "{\"n\":" + i + "}"));
                    }
                    return outcomes;
                };
                results.add(instances.submit(work));
            }
            List<Ledger.Outcome> outcomes = new ArrayList<>();
            for (Future<List<Ledger.Outcome>> result : results) {
                outcomes.addAll(result.get());
            }
            instances.shutdown();

            long appended = outcomes.stream().filter(o -> o == Ledger.Outcome.APPENDED).count();
            assertThat(appended).as("40 own events each, the 20 shared ones once").isEqualTo(100);
            assertThat(outcomes).filteredOn(o -> o == Ledger.Outcome.REDELIVERED).hasSize(20);
            List<LedgerEntry> chain = mongo.findAll(LedgerEntry.class);
            assertThat(chain).extracting(LedgerEntry::index).containsExactlyInAnyOrderElementsOf(
                    LongStream.range(0, 100).boxed().toList());
            Set<String> ids = new HashSet<>();
            chain.forEach(e -> assertThat(ids.add(e.eventId())).as("event %s once", e.eventId()).isTrue());
            assertThat(mongo.getCollection(LedgerEntry.IDS).countDocuments(new Document("hash", null))).isZero();
            String previous = LedgerEntry.GENESIS;
            for (LedgerEntry entry : chain.stream().sorted(Comparator.comparingLong(LedgerEntry::index)).toList()) {
                assertThat(entry.previousHash()).as("link %d chained to %d", entry.index(), entry.index() - 1)
                                                .isEqualTo(previous);
                assertThat(entry.hash()).isEqualTo(Verification.linkHash(entry.index(), previous, entry.eventHash()));
                previous = entry.hash();
            }
        }
    }

    @Test
    void theVerificationWalksEveryLinkAndALinkMissingAtAPageEndBreaksTheChain() {
        try (MongoClient client = MongoClients.create(Backends.shared().mongoConnectionString())) {
            MongoTemplate mongo = new MongoTemplate(client, "ledger-" + UUID.randomUUID().toString().substring(0, 8));
            Ledger ledger = new Ledger(mongo, java.time.Clock.systemUTC());
            for (int i = 0; i < 1_001; i++) {
                String id = UUID.randomUUID().toString();
                ledger.append(id, "stillwater", null, "stillpoint.session.v1", 0, i, Map.of("ce_id", id), "{\"n\":" + i + "}");
            }
            Verification.Walk whole = Verification.walk(mongo, "stillwater");
            assertThat(whole.broken()).isNull();
            assertThat(whole.entries()).isEqualTo(1_001);
            assertThat(whole.head()).isEqualTo(mongo.findById(LedgerEntry.idOf("stillwater", 1_000), LedgerEntry.class).hash());

            // the last link of the second page of 500: the walk must not take the page's end for the chain's
            mongo.remove(Query.query(Criteria.where("_id").is(LedgerEntry.idOf("stillwater", 999))), LedgerEntry.class);
            Verification.Walk holed = Verification.walk(mongo, "stillwater");
            assertThat(holed.broken()).isNotNull();
            assertThat(holed.broken().index()).isEqualTo(999);
            assertThat(holed.broken().reason()).contains("missing");
        }
    }

    @Test
    void eachOrganisationHasItsOwnChainAndAnEventWaitsForItsClientsOrganisation() {
        try (MongoClient client = MongoClients.create(Backends.shared().mongoConnectionString())) {
            MongoTemplate mongo = new MongoTemplate(client, "ledger-" + UUID.randomUUID().toString().substring(0, 8));
            Ledger ledger = new Ledger(mongo, java.time.Clock.systemUTC());
            String robin = UUID.randomUUID().toString();
            String sam = UUID.randomUUID().toString();
            // a session of Robin's arrives before Robin's registration (another topic, read later): it waits
            String early = UUID.randomUUID().toString();
            assertThat(append(ledger, early, null, robin)).isEqualTo(Ledger.Outcome.PENDING);
            assertThat(append(ledger, early, null, robin)).as("the same event again").isEqualTo(Ledger.Outcome.REDELIVERED);
            assertThat(Verification.walk(mongo, "stillwater").entries()).isZero();
            // another organisation's events go into its own chain, from index 0
            assertThat(append(ledger, UUID.randomUUID().toString(), "riverside", sam)).isEqualTo(Ledger.Outcome.APPENDED);
            // Robin's registration places Robin: it is linked, then (as the ingest does next) the event that waited
            String registration = UUID.randomUUID().toString();
            assertThat(append(ledger, registration, "stillwater", robin)).isEqualTo(Ledger.Outcome.APPENDED);
            ledger.linkWaiting(robin, "stillwater");
            assertThat(mongo.getCollection(LedgerEntry.PENDING).countDocuments()).isZero();
            assertThat(append(ledger, early, "stillwater", robin)).as("delivered again, placed").isEqualTo(
                    Ledger.Outcome.REDELIVERED);

            Verification.Walk stillwater = Verification.walk(mongo, "stillwater");
            assertThat(stillwater.broken()).isNull();
            assertThat(stillwater.entries()).isEqualTo(2);
            assertThat(mongo.findById(LedgerEntry.idOf("stillwater", 0), LedgerEntry.class).eventId()).isEqualTo(registration);
            assertThat(mongo.findById(LedgerEntry.idOf("stillwater", 1), LedgerEntry.class).eventId()).isEqualTo(early);
            Verification.Walk riverside = Verification.walk(mongo, "riverside");
            assertThat(riverside.entries()).isEqualTo(1);
            assertThat(riverside.head()).isNotEqualTo(stillwater.head());
            assertThat(mongo.findById(LedgerEntry.idOf("riverside", 0), LedgerEntry.class).previousHash())
                    .isEqualTo(LedgerEntry.GENESIS);
        }
    }

    private static Ledger.Outcome append(Ledger ledger, String eventId, String organisation, String client) {
        return ledger.append(eventId, organisation, client, "stillpoint.session.v1", 0, 0, Map.of("ce_id", eventId),
                             "{\"id\":\"" + eventId + "\"}");
    }
}
