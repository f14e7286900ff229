package org.stillpoint.consent.copy;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.consent.CopyFormat;
import org.stillpoint.platform.crypto.FieldCipher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Where produced copies are kept: each form of a copy in stretches of at most {@value #STRETCH} characters, every
 * stretch sealed under the client's key ({@code copy_chunks}), and one document per copy naming the attempt whose
 * stretches are the copy ({@code copy_files}). Every read is by id — a stretch's id is its copy, attempt, form and
 * number — so a download is point lookups on any backend. A client's erasure shreds the key the stretches are sealed
 * under and removes them.
 */
@Component
public class CopyStore {

    static final int STRETCH = 256 * 1024;

    private final MongoTemplate mongo;
    private final FieldCipher cipher;

    CopyStore(MongoTemplate mongo, FieldCipher cipher) {
        this.mongo = mongo;
        this.cipher = cipher;
    }

    /** One sealed stretch of one form of a copy. */
    @Document("copy_chunks")
    record Chunk(@Id String id, String clientId, String requestId, String attempt, Sealed sealed) {
    }

    /**
     * A produced copy: which attempt's stretches are it, how many of each form, and their SHA-256.
     *
     * @param notes what the copy holds of the session notes
     */
    @Document("copy_files")
    public record CopyFile(@Id String requestId, String clientId, String attempt, int bundleChunks, int documentChunks,
                           String bundleSha256, String documentSha256, int resources, String notes) {

        int chunks(CopyFormat format) {
            return format == CopyFormat.FHIR_BUNDLE ? bundleChunks : documentChunks;
        }
    }

    /** A writer of one form of a copy: seals and stores each stretch as it fills, and hashes what it wrote. */
    Sink sink(ClientId client, UUID requestId, String attempt, CopyFormat format) {
        return new Sink(client, requestId, attempt, format);
    }

    /**
     * Makes {@code file} the copy of its request unless another attempt did first (an instance that took the client over
     * while this one was at work); whether this one is the copy.
     */
    boolean keep(CopyFile file) {
        try {
            mongo.insert(file);
            return true;
        } catch (DuplicateKeyException other) {
            return false;
        }
    }

    Optional<CopyFile> file(String requestId) {
        return Optional.ofNullable(mongo.findById(requestId, CopyFile.class));
    }

    /** Writes one form of the copy to {@code out}, stretch by stretch, opened under the client's key. */
    void write(CopyFile file, CopyFormat format, OutputStream out) throws IOException {
        FieldCipher.Opener opener = cipher.of(file.clientId());
        for (int i = 0; i < file.chunks(format); i++) {
            Chunk chunk = mongo.findById(chunkId(file.requestId(), file.attempt(), format, i), Chunk.class);
            if (chunk == null) {
                throw new IllegalStateException("stretch " + i + " of copy " + file.requestId() + " is missing");
            }
            String text = opener.open(chunk.sealed(), field(format)).orElseThrow(
                    () -> new IllegalStateException("copy " + file.requestId() + " cannot be opened: its key is gone"));
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Removes the stretches of an attempt that is not the copy: it failed, or another was kept first. */
    void discard(String requestId, String attempt) {
        mongo.remove(Query.query(Criteria.where("requestId").is(requestId).and("attempt").is(attempt)), Chunk.class);
    }

    /**
     * Removes what attempts other than the copy's left of it — an instance stopped hard while it wrote — once the copy
     * is kept (a query by request, made once per copy).
     */
    void discardOthers(CopyFile copy) {
        mongo.remove(Query.query(Criteria.where("requestId").is(copy.requestId()).and("attempt").ne(copy.attempt())),
                     Chunk.class);
    }

    /** Removes every copy of the client, and any stretch an attempt left behind (at an erasure). */
    void eraseClient(String clientId) {
        mongo.remove(Query.query(Criteria.where("clientId").is(clientId)), Chunk.class);
        mongo.remove(Query.query(Criteria.where("clientId").is(clientId)), CopyFile.class);
    }

    private static String chunkId(String requestId, String attempt, CopyFormat format, int number) {
        return requestId + "/" + attempt + "/" + format.name() + "/" + number;
    }

    private static String field(CopyFormat format) {
        return format == CopyFormat.FHIR_BUNDLE ? SealedFields.COPY_BUNDLE : SealedFields.COPY_DOCUMENT;
    }

    /** One form of a copy being written; {@link #close()} stores the last stretch. */
    final class Sink extends Writer {

        private final ClientId client;
        private final String requestId;
        private final String attempt;
        private final CopyFormat format;
        private final StringBuilder stretch = new StringBuilder(STRETCH);
        private final MessageDigest sha256;
        private int chunks;

        private Sink(ClientId client, UUID requestId, String attempt, CopyFormat format) {
            this.client = client;
            this.requestId = requestId.toString();
            this.attempt = attempt;
            this.format = format;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void write(char[] text, int offset, int length) {
            stretch.append(text, offset, length);
            if (stretch.length() >= STRETCH) {
                store(false);
            }
        }

        @Override
        public void write(String text) {
            stretch.append(text);
            if (stretch.length() >= STRETCH) {
                store(false);
            }
        }

        /** Stores the stretch so far; a character split in two (a surrogate pair) waits for its second half. */
        private void store(boolean last) {
            int end = stretch.length();
            if (!last && end > 0 && Character.isHighSurrogate(stretch.charAt(end - 1))) {
                end--;
            }
            String text = stretch.substring(0, end);
            stretch.delete(0, end);
            sha256.update(text.getBytes(StandardCharsets.UTF_8));
            mongo.insert(new Chunk(chunkId(requestId, attempt, format, chunks), client.toString(), requestId, attempt,
                                   cipher.seal(client, field(format), text)));
            chunks++;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            if (!stretch.isEmpty()) {
                store(true);
            }
        }

        int chunks() {
            return chunks;
        }

        String sha256() {
            return HexFormat.of().formatHex(sha256.digest());
        }
    }
}
