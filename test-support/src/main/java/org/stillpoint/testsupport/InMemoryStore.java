package org.stillpoint.testsupport;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.UuidRepresentation;
import org.stillpoint.localstack.EmbeddedMongoServer;

/**
 * A MongoDB wire-protocol server in memory, for the unit tests of a class that reads and writes documents (a projection,
 * the quarantine, the consent gate): started on first use, shared by the JVM, stopped at its exit. The client is set up
 * as the services set up theirs (UUIDs in the standard representation). Each test takes a database of its own.
 */
public final class InMemoryStore {

    private static MongoClient client;

    private InMemoryStore() {
    }

    public static synchronized MongoClient client() {
        if (client == null) {
            EmbeddedMongoServer server = new EmbeddedMongoServer(null, 0);
            server.start();
            MongoClient started = MongoClients.create(MongoClientSettings.builder()
                    .applyConnectionString(new ConnectionString(server.connectionString()))
                    .uuidRepresentation(UuidRepresentation.STANDARD)
                    .build());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                server.stop();
            }, "in-memory-store"));
            client = started;
        }
        return client;
    }
}
