package org.stillpoint.platform.health;

import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The service's MongoDB database answers: a {@code ping} to it, which every MongoDB server and the embedded wire-protocol
 * server understand (Boot's own indicator sends {@code hello}, which the embedded server does not know, and reports a
 * healthy local stack as down).
 */
public class MongoPingHealth extends AbstractHealthIndicator {

    private final MongoDatabase database;

    public MongoPingHealth(MongoDatabase database) {
        super("MongoDB does not answer a ping");
        this.database = database;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Document answer = database.runCommand(new Document("ping", 1));
        builder.up().withDetail("database", database.getName()).withDetail("ok", answer.get("ok"));
    }
}
