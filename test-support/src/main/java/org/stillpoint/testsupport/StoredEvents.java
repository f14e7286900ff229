package org.stillpoint.testsupport;

import com.mongodb.client.MongoDatabase;
import org.bson.Document;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        return lastPositionsOf(database, List.of(clientId)).get(clientId);
    }

    /** As {@link #lastPositionOf}, for each of {@code clients}, in one pass over the store. */
    public static Map<String, Long> lastPositionsOf(MongoDatabase database, Collection<String> clients) {
        Map<String, Long> last = new HashMap<>();
        clients.forEach(client -> last.put(client, -1L));
        for (Document commit : database.getCollection("events").find()) {
            for (Document event : commit.getList("events", Document.class)) {
                String payload = event.getString("payload");
                int at = payload.indexOf("\"clientId\":\"");
                if (at < 0) {
                    continue;
                }
                int from = at + "\"clientId\":\"".length();
                int to = payload.indexOf('"', from);
                String client = to < 0 ? null : payload.substring(from, to);
                if (client != null && last.containsKey(client)) {
                    last.merge(client, event.getLong("position"), Math::max);
                }
            }
        }
        return last;
    }
}
