package org.stillpoint.platform.command;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.deadletter.ProjectionDeadLetters;
import org.stillpoint.platform.metrics.CommandStages;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Sends a command and waits, a bounded time, until a projection has applied what the command stored, so that a read
 * that follows sees the write. The command is stored either way; the wait only decides how the caller is answered: when
 * the projection did not reach the write in time, or holds the client's records as dead letters, the answer is
 * {@link StoredNotYetVisible} ({@code 202 Accepted} with the Location), never a read that misses the write.
 */
public class ReadYourWrites {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReadYourWrites.class);

    /** How long a write waits for its own read model before answering. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    /** Whether a projection has handled a stored position, for one client's sequence, within a wait. */
    @FunctionalInterface
    public interface Visibility {

        boolean awaitHandled(String projection, long position, Object sequence, Duration wait);
    }

    /** Whether a projection holds a client's records for repair (so it will not show the write until released). */
    @FunctionalInterface
    public interface Holds {

        boolean holds(String projection, String clientId);
    }

    private final Commands commands;
    private final Visibility progress;
    private final Holds deadLetters;
    private final Duration wait;
    private final CommandStages stages;

    public ReadYourWrites(Commands commands, ProcessingProgress progress, ProjectionDeadLetters deadLetters) {
        this(commands, progress::awaitHandled, deadLetters::holds, WAIT, CommandStages.unread());
    }

    /**
     * @param progress    how far the projections are ({@link ProcessingProgress#awaitHandled})
     * @param deadLetters which clients a projection holds ({@link ProjectionDeadLetters#holds(String, String)})
     * @param stages      where the time of the wait for the read model is counted
     */
    public ReadYourWrites(Commands commands, Visibility progress, Holds deadLetters, Duration wait,
                          CommandStages stages) {
        this.commands = commands;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.wait = wait;
        this.stages = stages;
    }

    /**
     * A write to answer: {@code command}, read at {@code location} once {@code projection} shows it, refused as
     * {@link Write#whenMissing} says when its aggregate does not exist.
     */
    public Write write(Object command, String projection, ClientId clientId, URI location) {
        return new Write(this, command, projection, clientId, location, null);
    }

    /**
     * Handles {@code command} as {@link Commands#send} does, then waits for {@code projection} to show it.
     *
     * @param clientId    the client the command is about, whose records the projection may hold
     * @param location    where the written resource is read
     * @param whenMissing the refusal when the command's aggregate does not exist; null to let Axon's exception through
     * @throws StoredNotYetVisible when it was stored but the projection does not show it
     */
    <R> Accepted<R> send(Object command, String projection, ClientId clientId, URI location,
                         Supplier<? extends RuntimeException> whenMissing) {
        Accepted<R> accepted;
        try {
            accepted = commands.send(command);
        } catch (AggregateNotFoundException e) {
            if (whenMissing == null) {
                throw e;
            }
            throw whenMissing.get();
        }
        // from here on the write is stored, whatever fails next
        WriteOutcome.stored(location);
        boolean reached;
        boolean held;
        try {
            reached = stages.time(CommandStages.Stage.WAIT,
                                  () -> progress.awaitHandled(projection, accepted.position(), clientId.toString(),
                                                                       wait));
            held = deadLetters.holds(projection, clientId.toString());
        } catch (RuntimeException e) {
            log.warn("Stored at position {}, but whether {} shows it could not be told: {}", accepted.position(),
                     projection, e.toString());
            throw new StoredNotYetVisible(location, false);
        }
        if (held) {
            throw new StoredNotYetVisible(location, true);
        }
        if (!reached) {
            throw new StoredNotYetVisible(location, false);
        }
        return accepted;
    }
}
