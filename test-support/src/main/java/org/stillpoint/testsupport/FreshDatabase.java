package org.stillpoint.testsupport;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.UUID;

/**
 * A database of its own for each test, on the shared {@link Backends}, dropped after it:
 * {@code @RegisterExtension final FreshDatabase store = new FreshDatabase("es");} then {@code store.database()}.
 */
public final class FreshDatabase implements BeforeEachCallback, AfterEachCallback {

    private final String prefix;
    private MongoClient client;
    private MongoDatabase database;

    public FreshDatabase(String prefix) {
        this.prefix = prefix;
    }

    /** This test's database. */
    public MongoDatabase database() {
        return database;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        client = MongoClients.create(Backends.shared().mongoConnectionString());
        database = client.getDatabase(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        database.drop();
        client.close();
    }
}
