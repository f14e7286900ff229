package org.stillpoint.platform.command;

/**
 * A command that was handled and stored.
 *
 * @param result   what the command handler returned (the new aggregate's id for a create)
 * @param position the highest global event position it stored, or -1 when it stored nothing
 * @param sequence the highest sequence number of its aggregate's events it stored, or -1 when it stored none
 */
public record Accepted<R>(R result, long position, long sequence) {
}
