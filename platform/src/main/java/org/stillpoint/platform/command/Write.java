package org.stillpoint.platform.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.problem.Refusal;

import java.net.URI;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One write of a controller, sent through {@link ReadYourWrites} and answered with what its read model shows once it
 * shows it: {@code writes.write(command, projection, clientId, location).whenMissing(...).created(() -> answer)}.
 */
public record Write(ReadYourWrites writes, Object command, String projection, ClientId clientId, URI location,
                    Supplier<? extends RuntimeException> refusal) {

    private static final Logger LOG = LoggerFactory.getLogger(Write.class);

    /** The refusal when the command's aggregate does not exist (an unknown client, session or referral). */
    public Write whenMissing(Supplier<? extends RuntimeException> refusal) {
        return new Write(writes, command, projection, clientId, location, refusal);
    }

    /** Sends it and waits for its read model; the handler's result and the position it was stored at. */
    public <R> Accepted<R> send() {
        return writes.send(command, projection, clientId, location, refusal);
    }

    /** Sends it, then answers {@code 201 Created} at its location with {@code answer}, read after the wait. */
    public <T> ResponseEntity<T> created(Supplier<T> answer) {
        Accepted<?> stored = send();
        return ResponseEntity.created(location).body(readBack(answer, stored));
    }

    /**
     * Sends it, then answers {@code 201 Created} at its location with {@code answer} made from what was stored (the
     * aggregate's sequence number, the handler's result): nothing read back.
     */
    public <R, T> ResponseEntity<T> createdFrom(Function<Accepted<R>, T> answer) {
        Accepted<R> stored = send();
        return ResponseEntity.created(location).body(answer.apply(stored));
    }

    /** Sends it, then answers with {@code answer}, read after the wait. */
    public <T> T then(Supplier<T> answer) {
        Accepted<?> stored = send();
        return readBack(answer, stored);
    }

    /**
     * The answer read after the wait. The write is stored; should its read model still not show it (the wait judged
     * its segment's progress, and a segment that has just changed hands may be judged on a token that is ahead of what
     * its view holds), the answer is {@code 202} with the Location, never a {@code 404} for what was just written.
     */
    private <T> T readBack(Supplier<T> answer, Accepted<?> stored) {
        try {
            return answer.get();
        } catch (Refusal refused) {
            if (refused.kind() != Refusal.Kind.NOT_FOUND) {
                throw refused;
            }
            LOG.warn("Stored at position {}, and {} was judged to have applied it, but its view does not show it yet: "
                             + "answered as stored, not yet visible", stored.position(), projection);
            throw new StoredNotYetVisible(location, false);
        }
    }
}
