package org.stillpoint.integrator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the consumer knows, kept in one local JSON file together with the offsets it has read up to: the file is
 * replaced as a whole after each batch, so a consumer stopped at any moment restarts from a state and offsets that
 * belong together, and counts nothing twice and nothing never.
 */
final class BillingState {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The topic read. */
    public String topic;
    /** Partition → the offset of the next record to read. */
    public Map<Integer, Long> offsets = new TreeMap<>();
    /** Clinic → how many sessions there had their note signed. */
    public Map<String, Integer> signedSessions = new TreeMap<>();
    /** Session id → what is known of it. */
    public Map<String, Session> sessions = new TreeMap<>();
    /** Records read again (a redelivery, a publisher's retry) and not counted again. */
    public long duplicates;
    /** Sessions whose sequence jumped: a record this consumer never saw. */
    public List<String> gaps = new ArrayList<>();
    /** Records not counted, with why: not a CloudEvent, a signature that does not hold, the wrong source. */
    public List<String> rejected = new ArrayList<>();

    /** One session: its clinic, the last sequence applied, and whether its note was signed. */
    public static final class Session {
        public String clinic;
        public long sequence = -1;
        public boolean signed;
    }

    static BillingState load(Path file, String topic) throws IOException {
        if (!Files.exists(file)) {
            BillingState state = new BillingState();
            state.topic = topic;
            return state;
        }
        BillingState state = JSON.readValue(file.toFile(), BillingState.class);
        if (!topic.equals(state.topic)) {
            throw new IllegalStateException(file + " holds the state of " + state.topic + ", not of " + topic);
        }
        return state;
    }

    /** Replaces the file as a whole: a reader, or a restart, sees the old state or the new one, never half of one. */
    void save(Path file) throws IOException {
        Path written = file.resolveSibling(file.getFileName() + ".writing");
        JSON.writeValue(written.toFile(), this);
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Whether a session's record at {@code sequence} is new: false for one applied already; a jump past the next
     * expected sequence is noted as a gap and the record applied.
     */
    boolean advance(String sessionId, long sequence) {
        Session session = sessions.computeIfAbsent(sessionId, id -> new Session());
        if (sequence <= session.sequence) {
            duplicates++;
            return false;
        }
        if (sequence != session.sequence + 1) {
            gaps.add(sessionId + ": expected sequence " + (session.sequence + 1) + ", read " + sequence);
        }
        session.sequence = sequence;
        return true;
    }

    void recorded(String sessionId, String clinic) {
        sessions.get(sessionId).clinic = clinic;
    }

    void signed(String sessionId) {
        Session session = sessions.get(sessionId);
        if (session.signed) {
            return;
        }
        session.signed = true;
        signedSessions.merge(session.clinic == null ? "(clinic unknown)" : session.clinic, 1, Integer::sum);
    }
}
