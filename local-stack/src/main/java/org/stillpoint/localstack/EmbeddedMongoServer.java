package org.stillpoint.localstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A MongoDB wire-protocol server in this JVM (mongo-java-server), file-backed with H2 so that data survives a
 * restart, or in memory when no folder is given. It has no transactions and no change streams; Stillpoint needs neither.
 */
public final class EmbeddedMongoServer implements AutoCloseable {

    private final Path dataFile;
    private final int port;
    private MongoServer server;

    /**
     * @param dataFile the H2 file to keep data in, or {@code null} to keep it in memory
     * @param port     the port to listen on, or 0 for any free port
     */
    public EmbeddedMongoServer(Path dataFile, int port) {
        this.dataFile = dataFile;
        this.port = port;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        MongoBackend backend;
        if (dataFile == null) {
            backend = new MemoryBackend();
        } else {
            try {
                Files.createDirectories(dataFile.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            backend = new H2Backend(dataFile.toAbsolutePath().toString());
        }
        MongoServer started = new MongoServer(new AtomicUpdates(backend));
        started.bind("127.0.0.1", port);
        server = started;
    }

    public synchronized String connectionString() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
