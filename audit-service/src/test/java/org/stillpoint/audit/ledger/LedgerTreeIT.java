package org.stillpoint.audit.ledger;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.UsesBackends;
import org.stillpoint.verifier.MerkleTree;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger's Merkle tree, built in steps as checkpoints come, gives the head RFC 9162 defines over the links, and
 * paths that prove each link; the ledger links an event once, whatever the instances' clocks say.
 */
@UsesBackends
class LedgerTreeIT {

    @Test
    void headsAndPathsBuiltInStepsAreThoseOfTheWholeTree() {
        try (MongoClient client = MongoClients.create(Backends.shared().mongoConnectionString())) {
            MongoTemplate mongo = new MongoTemplate(client, "tree-" + UUID.randomUUID().toString().substring(0, 8));
            Ledger ledger = new Ledger(mongo, Clock.systemUTC());
            LedgerTree tree = new LedgerTree(mongo);
            List<String> leaves = new ArrayList<>();
            int appended = 0;
            for (int size : List.of(1, 2, 3, 7, 8, 9, 500, 513, 1_030)) {
                for (; appended < size; appended++) {
                    String id = UUID.randomUUID().toString();
                    ledger.append(id, "stillwater", null, "stillpoint.session.v1", 0, appended, Map.of("ce_id", id),
                                  "{\"n\":" + appended + "}");
                    leaves.add(MerkleTree.leaf(mongo.findById(LedgerEntry.idOf("stillwater", appended),
                                                              LedgerEntry.class).hash()));
                }
                String head = tree.head("stillwater", size);
                assertThat(head).as("head of %d", size).isEqualTo(root(leaves, 0, size));
                List<Long> some = List.of(0L, (long) size / 2, (long) size - 1);
                Map<Long, List<String>> paths = tree.paths("stillwater", some, size);
                for (long index : some) {
                    assertThat(MerkleTree.includes(index, size, leaves.get((int) index), paths.get(index), head))
                            .as("link %d of %d", index, size).isTrue();
                }
            }
            // a head of a size built before is read back, not rebuilt: and an older one is still provable
            assertThat(tree.head("stillwater", 9)).isEqualTo(root(leaves, 0, 9));
        }
    }

    @Test
    void anEventIsLinkedOnceWhateverTheInstancesClocksSay() throws Exception {
        try (MongoClient client = MongoClients.create(Backends.shared().mongoConnectionString())) {
            MongoTemplate mongo = new MongoTemplate(client, "skew-" + UUID.randomUUID().toString().substring(0, 8));
            // this instance's clock is two hours ahead of the one that claimed the event a moment ago
            Ledger ahead = new Ledger(mongo, Clock.offset(Clock.systemUTC(), Duration.ofHours(2)),
                                      Duration.ofMillis(800), Duration.ofMillis(300));
            String eventId = UUID.randomUUID().toString();
            Map<String, String> headers = Map.of("ce_id", eventId);
            String value = "{\"n\":1}";
            mongo.insert(new org.bson.Document("_id", eventId).append("eventHash", Ledger.eventHash(headers, value))
                                                              .append("hashVersion", 2).append("owner", "another")
                                                              .append("organisationId", "stillwater")
                                                              .append("at", new Date()), LedgerEntry.IDS);
            assertThatThrownBy(() -> ahead.append(eventId, "stillwater", null, "t", 0, 0, headers, value))
                    .as("a live claim is not taken over because this clock says it is old")
                    .hasMessageContaining("being linked by another instance");
            assertThat(mongo.count(new org.springframework.data.mongodb.core.query.Query(), LedgerEntry.class)).isZero();

            // seen unchanged for long enough by this instance's own clock: taken over and linked, once
            Thread.sleep(900);
            assertThat(ahead.append(eventId, "stillwater", null, "t", 0, 0, headers, value))
                    .isEqualTo(Ledger.Outcome.APPENDED);
            // and the slow owner's late insert of the same event is refused by the store itself
            LedgerEntry linked = mongo.findById(LedgerEntry.idOf("stillwater", 0), LedgerEntry.class);
            assertThatThrownBy(() -> mongo.insert(new LedgerEntry(LedgerEntry.idOf("stillwater", 1), "stillwater", 1,
                                                                  eventId, "t", 0, 0, headers, value, linked.eventHash(),
                                                                  linked.hash(), "f".repeat(64), 2)))
                    .isInstanceOf(DuplicateKeyException.class);
            Ledger behind = new Ledger(mongo, Clock.offset(Clock.systemUTC(), Duration.ofHours(-3)));
            assertThat(behind.append(eventId, "stillwater", null, "t", 0, 0, headers, value))
                    .isEqualTo(Ledger.Outcome.REDELIVERED);
            assertThat(Verification.walk(mongo, "stillwater").entries()).isEqualTo(1);
        }
    }

    private static String root(List<String> leaves, int from, int to) {
        if (to - from == 1) {
            return leaves.get(from);
        }
        int k = (int) MerkleTree.split(to - from);
        return MerkleTree.node(root(leaves, from, from + k), root(leaves, from + k, to));
    }
}
