package org.stillpoint.session.command;

/**
 * A session note as the practitioner wrote it, before it is sealed with the client's key.
 *
 * @param clientReported what the client chose to share; null when they shared nothing
 * @param pauses         how many pauses the client took, if counted
 */
public record NoteText(String clientReported, String observations, String techniques, String clientResponse,
                       Integer pauses, boolean stopSignalUsed, String pacingNotes, boolean referralRecommended,
                       String referralReason) {
}
