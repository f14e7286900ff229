package org.stillpoint.testsupport;

import com.mongodb.client.MongoDatabase;
import org.bson.Document;

/** What a service's event store holds, read as a test checks it: its commits in the {@code events} collection. */
public final class StoredEvents {

    private StoredEvents() {
    }

    /**
     * The position of the last event stored in {@code database} about client {@code clientId} (-1 when none is): once
     * a processor has reached it on the client's segment, it has handled everything stored of the client so far, and
     * what it sends on has been sent.
     */
    public static long lastPositionOf(MongoDatabase database, String clientId) {
        String named = "\"clientId\":\"" + clientId + "\"";
        long last = -1;
        for (Document commit : database.getCollection("events").find()) {
            for (Document event : commit.getList("events", Document.class)) {
                if (event.getString("payload").contains(named)) {
                    last = Math.max(last, event.getLong("position"));
                }
            }
        }
        return last;
    }
}
