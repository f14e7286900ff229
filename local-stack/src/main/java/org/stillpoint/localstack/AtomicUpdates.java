package org.stillpoint.localstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The embedded server's backend with {@code findAndModify} applied one at a time per database, as a MongoDB server
 * applies it atomically. Without this, two clients incrementing one document at once (the event store's position
 * counter, written by several instances of a service) could both read the old value and one increment be lost.
 */
final class AtomicUpdates implements MongoBackend {

    private final MongoBackend backend;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    AtomicUpdates(MongoBackend backend) {
        this.backend = backend;
    }

    private Document serialized(String database, String command, Supplier<Document> call) {
        if (command == null || !command.equalsIgnoreCase("findAndModify")) {
            return call.get();
        }
        synchronized (locks.computeIfAbsent(database, d -> new Object())) {
            // the answer may hold the stored document itself: copied before the next update can change it
            return copy(call.get());
        }
    }

    private static Document copy(Document document) {
        if (document == null) {
            return null;
        }
        Document copied = new Document();
        document.forEach((key, value) -> copied.put(key, copyValue(value)));
        return copied;
    }

    private static Object copyValue(Object value) {
        if (value instanceof Document nested) {
            return copy(nested);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(AtomicUpdates::copyValue).collect(java.util.stream.Collectors.toList());
        }
        return value;
    }

    private static String commandOf(Document document) {
        return document == null || document.isEmpty() ? null : document.keySet().iterator().next();
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        return serialized(message.getDatabaseName(), commandOf(message.getDocument()),
                          () -> backend.handleMessage(message));
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        return serialized(database, command, () -> backend.handleCommand(channel, database, command, query));
    }

    @Override
    public void handleClose(Channel channel) {
        backend.handleClose(channel);
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        return backend.handleQuery(query);
    }

    @Override
    public void dropDatabase(String database) {
        backend.dropDatabase(database);
    }

    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        return backend.getCurrentOperations(query);
    }

    @Override
    public Document getServerStatus() {
        return backend.getServerStatus();
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        backend.closeCursors(cursorIds);
    }

    @Override
    public Clock getClock() {
        return backend.getClock();
    }

    @Override
    public void enableOplog() {
        backend.enableOplog();
    }

    @Override
    public void disableOplog() {
        backend.disableOplog();
    }

    @Override
    public MongoDatabase resolveDatabase(String database) {
        return backend.resolveDatabase(database);
    }

    @Override
    public MongoBackend version(MongoVersion version) {
        backend.version(version);
        return this;
    }
}
