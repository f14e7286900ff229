package org.stillpoint.session.command;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.stillpoint.consentview.ConsentBasis;
import org.stillpoint.consentview.ConsentGate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.session.SessionNoteAmended;
import org.stillpoint.contracts.session.SessionNoteRevised;
import org.stillpoint.contracts.session.SessionNoteSigned;
import org.stillpoint.contracts.session.SessionNotes;
import org.stillpoint.contracts.session.SessionRecorded;
import org.stillpoint.platform.command.EntryWindows;
import org.stillpoint.platform.command.EventSourced;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.input.PlainText;
import org.stillpoint.platform.problem.Refusal;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A session with a client and its note: recorded only under consent that covered every modality at the session's
 * start, drafted, signed once, then only amended.
 */
@EventSourced
public class Session {

    /** How far ahead of the recording clock a start time may be, for clock skew between devices. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final int MAX_DURATION_MINUTES = 480;

    @AggregateIdentifier
    private SessionId sessionId;
    private ClientId clientId;
    private Actor author;
    private boolean signed;
    private int amendments;

    protected Session() {
    }

    @CommandHandler
    public Session(RecordSession command, ConsentGate consents, FieldCipher cipher, EntryWindows windows) {
        if (command.modalities() == null || command.modalities().isEmpty()) {
            throw Refusal.unprocessable("no-modality", "modalities", "A session names at least one modality used.");
        }
        if (command.durationMinutes() == null || command.durationMinutes() < 1
                || command.durationMinutes() > MAX_DURATION_MINUTES) {
            throw Refusal.unprocessable("duration-out-of-range", "durationMinutes",
                                        "A session lasts from 1 to " + MAX_DURATION_MINUTES + " minutes.");
        }
        if (command.startedAt().isAfter(command.at().plus(CLOCK_SKEW))) {
            throw Refusal.unprocessable("start-in-future", "startedAt", "A session cannot be recorded before it started.");
        }
        boolean late = windows.late(command.startedAt(), command.at(), command.lateEntryReason(), "startedAt",
                                    "lateEntryReason");
        Set<ConsentScope> scopes = EnumSet.noneOf(ConsentScope.class);
        command.modalities().forEach(m -> scopes.add(m.scope()));
        ConsentBasis basis = consents.require(command.clientId(), command.clinicId(), scopes, command.startedAt(),
                                              command.consentSequence(), "modalities");
        apply(new SessionRecorded(command.clientId(), command.sessionId(), command.clinicId(), command.practitioner(),
                                  command.startedAt(), command.durationMinutes(), EnumSet.copyOf(command.modalities()),
                                  seal(cipher, command.clientId(), command.notes()), basis.reliances(),
                                  basis.viewSequence(), late, command.at(), command.actor(),
                                  cipher.seal(command.clientId(), SealedFields.SESSION_LATE_ENTRY_REASON,
                                              PlainText.blankToNull(command.lateEntryReason()))));
    }

    @CommandHandler
    public void handle(ReviseNote command, FieldCipher cipher) {
        ofClient(command.clientId());
        if (signed) {
            throw Refusal.conflict("note-signed", "notes",
                                   "The note of session " + sessionId + " is signed; it can only be amended.");
        }
        if (author != null && !author.equals(command.actor())) {
            throw Refusal.forbidden("not-the-author", "sessionId", "The draft note of session " + sessionId
                    + " is revised by its author only.");
        }
        apply(new SessionNoteRevised(clientId, sessionId, seal(cipher, clientId, command.notes()), command.at(),
                                     command.actor()));
    }

    @CommandHandler
    public void handle(SignNote command) {
        ofClient(command.clientId());
        if (signed) {
            throw Refusal.conflict("note-already-signed", "sessionId",
                                   "The note of session " + sessionId + " is signed already.");
        }
        boolean byAuthor = author == null || author.equals(command.actor());
        if (!byAuthor && !command.byClinicAdmin()) {
            throw Refusal.forbidden("not-the-author", "sessionId", "The note of session " + sessionId + " is signed "
                    + "by its author, or by a clinic admin on the author's behalf.");
        }
        apply(new SessionNoteSigned(clientId, sessionId, command.at(), command.actor(), byAuthor ? null : author));
    }

    @CommandHandler
    public void handle(AmendNote command, FieldCipher cipher) {
        ofClient(command.clientId());
        if (!signed) {
            throw Refusal.conflict("note-not-signed", "sessionId",
                                   "The note of session " + sessionId + " is a draft: revise it, or sign it first.");
        }
        if (isBlank(command.text())) {
            throw Refusal.unprocessable("amendment-empty", "text", "An amendment needs its text.");
        }
        if (isBlank(command.reason())) {
            throw Refusal.unprocessable("amendment-reason-missing", "reason", "An amendment needs its reason.");
        }
        apply(new SessionNoteAmended(clientId, sessionId, amendments + 1, command.section(),
                                     cipher.seal(clientId, SealedFields.AMENDMENT_TEXT, command.text()),
                                     cipher.seal(clientId, SealedFields.AMENDMENT_REASON, command.reason()),
                                     command.at(), command.actor()));
    }

    private void ofClient(ClientId caller) {
        if (!clientId.equals(caller)) {
            throw Refusal.notFound("session-not-found", "sessionId", "This client has no session " + sessionId + ".");
        }
    }

    private static SessionNotes seal(FieldCipher cipher, ClientId clientId, NoteText text) {
        NoteText notes = text == null ? new NoteText(null, null, null, null, null, false, null, false, null) : text;
        return new SessionNotes(cipher.seal(clientId, SealedFields.CLIENT_REPORTED, PlainText.blankToNull(notes.clientReported())),
                                cipher.seal(clientId, SealedFields.OBSERVATIONS, PlainText.blankToNull(notes.observations())),
                                cipher.seal(clientId, SealedFields.TECHNIQUES, PlainText.blankToNull(notes.techniques())),
                                cipher.seal(clientId, SealedFields.CLIENT_RESPONSE, PlainText.blankToNull(notes.clientResponse())),
                                new SessionNotes.Pacing(notes.pauses(), notes.stopSignalUsed(),
                                                        cipher.seal(clientId, SealedFields.PACING_NOTES, PlainText.blankToNull(notes.pacingNotes()))),
                                new SessionNotes.ReferralRecommendation(notes.referralRecommended(),
                                                                        cipher.seal(clientId, SealedFields.RECOMMENDATION_REASON, PlainText.blankToNull(notes.referralReason()))));
    }

    @EventSourcingHandler
    void on(SessionRecorded event) {
        sessionId = event.sessionId();
        clientId = event.clientId();
        author = event.practitioner();
    }

    @EventSourcingHandler
    void on(SessionNoteSigned event) {
        signed = true;
    }

    @EventSourcingHandler
    void on(SessionNoteAmended event) {
        amendments = event.number();
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
