package org.stillpoint.platform.command;

import java.time.Duration;

/**
 * Sends a command and waits, a bounded time, until a projection has applied what the command stored, so that a read
 * that follows sees the write. The command is stored either way; the wait only decides when the caller is answered.
 */
public class ReadYourWrites {

    /** How long a write waits for its own read model before answering. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final Commands commands;
    private final ProcessingProgress progress;

    public ReadYourWrites(Commands commands, ProcessingProgress progress) {
        this.commands = commands;
        this.progress = progress;
    }

    /** Handles {@code command} as {@link Commands#send} does, then waits for {@code projection} to reach it. */
    public <R> Accepted<R> send(Object command, String projection) {
        Accepted<R> accepted = commands.send(command);
        progress.await(projection, accepted.position(), WAIT);
        return accepted;
    }
}
