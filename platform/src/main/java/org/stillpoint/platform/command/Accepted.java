package org.stillpoint.platform.command;

/**
 * A command that was handled and stored.
 *
 * @param result   what the command handler returned (the new aggregate's id for a create)
 * @param position the highest global event position it stored, or -1 when it stored nothing
 */
public record Accepted<R>(R result, long position) {
}
