package org.stillpoint.localstack;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several clients incrementing one counter at once on the embedded server, each on its own connection (as several
 * instances of a service reserve event positions): no increment is lost, no value handed out twice.
 */
class AtomicUpdatesTest {

    @Test
    void concurrentIncrementsFromSeveralClientsAreEachApplied() throws Exception {
        EmbeddedMongoServer server = new EmbeddedMongoServer(null, 0);
        server.start();
        int clients = 4;
        int each = 200;
        Set<Long> handedOut = ConcurrentHashMap.newKeySet();
        List<MongoClient> connections = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                MongoClient client = MongoClients.create(server.connectionString());
                connections.add(client);
                MongoCollection<Document> counters = client.getDatabase("atomic").getCollection("counters");
                work.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        Document after = counters.findOneAndUpdate(eq("_id", "global"), Updates.inc("next", 1L),
                                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
                        handedOut.add(after.getLong("next"));
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
            Document counter = connections.getFirst().getDatabase("atomic").getCollection("counters")
                                          .find(eq("_id", "global")).first();
            assertThat(counter.getLong("next")).isEqualTo((long) clients * each);
            assertThat(handedOut).hasSize(clients * each);
        } finally {
            connections.forEach(MongoClient::close);
            server.stop();
        }
    }
}
