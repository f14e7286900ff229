package org.stillpoint.session.command;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stillpoint.consentview.InMemoryConsentGate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.Grantor;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.contracts.session.Modality;
import org.stillpoint.contracts.session.SessionNoteAmended;
import org.stillpoint.contracts.session.SessionNoteRevised;
import org.stillpoint.contracts.session.SessionNoteSigned;
import org.stillpoint.contracts.session.SessionNotes;
import org.stillpoint.contracts.session.SessionRecorded;
import org.stillpoint.platform.command.EntryWindows;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.crypto.InMemoryDataKeys;
import org.stillpoint.platform.problem.Refusal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;
import static org.stillpoint.contracts.ConsentScope.CRANIOSACRAL_THERAPY;
import static org.stillpoint.contracts.ConsentScope.SOMATOEMOTIONAL_RELEASE;
import static org.stillpoint.contracts.session.Modality.VERBAL_PROCESSING;

class SessionTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Actor PRACTITIONER = new Actor("practitioner-1");
    private static final ClinicId NORTH = ClinicId.of("north");
    private static final NoteText NOTE = new NoteText("Tension since the move", "Restriction at the occiput",
                                                      "CV4, still point", "Deep settling", 2, true, "Paused twice",
                                                      false, null);

    private final ClientId clientId = ClientId.random();
    private final SessionId sessionId = SessionId.random();
    private final ConsentId consentId = ConsentId.random();
    private final InMemoryDataKeys keys = new InMemoryDataKeys();
    private final FieldCipher cipher = new FieldCipher(keys);
    private final InMemoryConsentGate consents = new InMemoryConsentGate();
    private AggregateTestFixture<Session> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Session.class);
        fixture.registerInjectableResource(cipher);
        fixture.registerInjectableResource(EntryWindows.DEFAULT);
        fixture.registerInjectableResource(consents);
        consents.given(clientId, 0, new ClientRegistered(clientId, OrganisationId.of("harmony"), NORTH,
                                                         new Sealed("k", "c"), NOW.minus(Duration.ofDays(60)), PRACTITIONER));
    }

    private void granted(long sequence, Set<ConsentScope> scopes, Instant grantedAt, Instant expiresAt, ClinicId clinic) {
        consents.given(clientId, sequence, new ConsentGranted(
                clientId, consentId, clinic, scopes, new ConsentForm("cst", "1", "a".repeat(64)), ConsentMethod.WRITTEN,
                new Grantor(GrantorKind.CLIENT, null, null), null, null, grantedAt, expiresAt, grantedAt, PRACTITIONER, false, null));
    }

    private RecordSession record(Instant startedAt, Set<Modality> modalities, Integer duration) {
        return record(startedAt, modalities, duration, null);
    }

    private RecordSession record(Instant startedAt, Set<Modality> modalities, Integer duration, String lateEntryReason) {
        return new RecordSession(sessionId, clientId, NORTH, PRACTITIONER, startedAt, duration, modalities, NOTE, null,
                                 lateEntryReason, NOW, PRACTITIONER);
    }

    private SessionRecorded recorded() {
        return new SessionRecorded(clientId, sessionId, NORTH, PRACTITIONER, NOW.minus(Duration.ofHours(2)), 60,
                                   Set.of(Modality.CRANIOSACRAL_THERAPY), notes(),
                                   List.of(new ConsentReliance(consentId, 1, Set.of(CRANIOSACRAL_THERAPY))), 1, false,
                                   NOW.minus(Duration.ofHours(1)), PRACTITIONER, null);
    }

    private SessionNotes notes() {
        return new SessionNotes(null, cipher.seal(clientId, SealedFields.OBSERVATIONS, "observed"), null, null,
                                new SessionNotes.Pacing(null, false, null), new SessionNotes.ReferralRecommendation(false, null));
    }

    private static void refused(ResultValidator<Session> result, String code, String field) {
        result.expectException(Refusal.class)
              .expectNoEvents()
              .expectException(predicate(
                      e -> e instanceof Refusal r && r.code().equals(code)
                              && (field == null || field.equals(r.field()))));
    }

    @Test
    void sessionCoveredByActiveConsentIsRecordedWithTheConsentItReliedOn() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY, SOMATOEMOTIONAL_RELEASE), NOW.minus(Duration.ofDays(10)), null, NORTH);
        fixture.givenNoPriorActivity()
               .when(record(NOW.minus(Duration.ofHours(2)), EnumSet.of(Modality.CRANIOSACRAL_THERAPY,
                                                                       Modality.SOMATOEMOTIONAL_RELEASE), 60))
               .expectSuccessfulHandlerExecution()
               .expectEventsMatching(payloadsMatching(
                       exactSequenceOf(
                               predicate(p -> {
                                   SessionRecorded event = (SessionRecorded) p;
                                   assertThat(event.consents()).containsExactly(new ConsentReliance(
                                           consentId, 1, Set.of(CRANIOSACRAL_THERAPY, SOMATOEMOTIONAL_RELEASE)));
                                   assertThat(event.consentViewSequence()).isEqualTo(1);
                                   assertThat(event.lateEntry()).isFalse();
                                   assertThat(cipher.of(event.clientId()).open(event.notes().observations(), SealedFields.OBSERVATIONS)).contains("Restriction at the occiput");
                                   assertThat(event.notes().pacing().stopSignalUsed()).isTrue();
                                   return true;
                               }),
                               andNoMore())));
    }

    @Test
    void sessionNeedsConsentForEveryModalityUsed() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY), NOW.minus(Duration.ofDays(10)), null, NORTH);
        refused(fixture.givenNoPriorActivity()
                       .when(record(NOW.minus(Duration.ofHours(2)), EnumSet.of(Modality.CRANIOSACRAL_THERAPY,
                                                                               Modality.SOMATOEMOTIONAL_RELEASE), 60)),
                "consent-missing", "modalities");
    }

    @Test
    void theRefusalNamesEachMissingScope() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY), NOW.minus(Duration.ofDays(10)), null, NORTH);
        fixture.givenNoPriorActivity()
               .when(record(NOW.minus(Duration.ofHours(2)), EnumSet.of(Modality.SOMATOEMOTIONAL_RELEASE,
                                                                       VERBAL_PROCESSING), 60))
               .expectException(predicate(
                       e -> e instanceof Refusal r && r.properties().get("missingScopes")
                               .equals(List.of(SOMATOEMOTIONAL_RELEASE, ConsentScope.VERBAL_PROCESSING))));
    }

    @Test
    void sessionWithoutAnyConsentIsRefused() {
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofHours(2)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 60)),
                "consent-missing", "modalities");
    }

    @Test
    void consentAtAnotherClinicDoesNotCover() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY), NOW.minus(Duration.ofDays(10)), null, ClinicId.of("south"));
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofHours(2)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 60)),
                "consent-missing", "modalities");
    }

    @Test
    void sessionAfterAWithdrawalIsRefused() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY, SOMATOEMOTIONAL_RELEASE), NOW.minus(Duration.ofDays(10)), null, NORTH);
        consents.given(clientId, 2, new ConsentWithdrawn(clientId, consentId, Set.of(CRANIOSACRAL_THERAPY),
                                                         Set.of(SOMATOEMOTIONAL_RELEASE), null,
                                                         NOW.minus(Duration.ofDays(1)), PRACTITIONER));
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofHours(2)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 60)),
                "consent-missing", "modalities");
    }

    @Test
    void lateEntryForATimeWhenConsentWasActiveIsAcceptedAfterAWithdrawal() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY), NOW.minus(Duration.ofDays(10)), null, NORTH);
        consents.given(clientId, 2, new ConsentWithdrawn(clientId, consentId, Set.of(CRANIOSACRAL_THERAPY), Set.of(),
                                                         null, NOW.minus(Duration.ofDays(1)), PRACTITIONER));
        fixture.givenNoPriorActivity()
               .when(record(NOW.minus(Duration.ofDays(3)), EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 50,
                            "Entered from the paper notes after the clinic's system was down"))
               .expectSuccessfulHandlerExecution()
               .expectEventsMatching(payloadsMatching(
                       exactSequenceOf(
                               predicate(p -> {
                                   SessionRecorded event = (SessionRecorded) p;
                                   assertThat(event.lateEntry()).isTrue();
                                   assertThat(cipher.of(event.clientId()).open(event.lateEntryReason(), SealedFields.SESSION_LATE_ENTRY_REASON))
                                           .contains("Entered from the paper notes after the clinic's system was down");
                                   assertThat(event.consents()).containsExactly(
                                           new ConsentReliance(consentId, 1, Set.of(CRANIOSACRAL_THERAPY)));
                                   assertThat(event.consentViewSequence()).isEqualTo(2);
                                   return true;
                               }),
                               andNoMore())));
    }

    @Test
    void aLateEntryWithoutItsReasonOrBeyondTheHorizonIsRefused() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY), NOW.minus(Duration.ofDays(4000)), null, NORTH);
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofHours(25)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 50, " ")),
                "late-entry-reason-missing", "lateEntryReason");
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofDays(3661)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 50, "old paper")),
                "beyond-horizon", "startedAt");
    }

    @Test
    void sessionAfterExpiryIsRefused() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY), NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1)), NORTH);
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofHours(2)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 60)),
                "consent-missing", "modalities");
    }

    @Test
    void sessionAfterARecordedExpiryIsRefused() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY), NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1)), NORTH);
        consents.given(clientId, 2, new ConsentExpired(clientId, consentId, Set.of(CRANIOSACRAL_THERAPY),
                                                       NOW.minus(Duration.ofDays(1)), NOW.minus(Duration.ofDays(1))));
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofHours(2)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 60)),
                "consent-missing", "modalities");
    }

    @Test
    void sessionBeforeConsentWasGivenIsRefused() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY), NOW.minus(Duration.ofDays(1)), null, NORTH);
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofDays(2)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 60,
                                                           "entered from paper notes")),
                "consent-missing", "modalities");
    }

    @Test
    void unknownClientIsNotFound() {
        RecordSession command = new RecordSession(sessionId, ClientId.random(), NORTH, PRACTITIONER,
                                                  NOW.minus(Duration.ofHours(1)), 60,
                                                  EnumSet.of(Modality.CRANIOSACRAL_THERAPY), NOTE, null, null, NOW, PRACTITIONER);
        refused(fixture.givenNoPriorActivity().when(command), "client-not-found", "clientId");
    }

    @Test
    void emptyModalityListIsRefused() {
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofHours(2)), Set.of(), 60)),
                "no-modality", "modalities");
    }

    @Test
    void durationMustBeFromOneMinuteToEightHours() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY), NOW.minus(Duration.ofDays(10)), null, NORTH);
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofHours(2)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 0)),
                "duration-out-of-range", "durationMinutes");
        refused(fixture.givenNoPriorActivity().when(record(NOW.minus(Duration.ofHours(2)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 481)),
                "duration-out-of-range", "durationMinutes");
    }

    @Test
    void startTimeInTheFutureIsRefused() {
        granted(1, EnumSet.of(CRANIOSACRAL_THERAPY), NOW.minus(Duration.ofDays(10)), null, NORTH);
        refused(fixture.givenNoPriorActivity().when(record(NOW.plus(Duration.ofMinutes(30)),
                                                           EnumSet.of(Modality.CRANIOSACRAL_THERAPY), 60)),
                "start-in-future", "startedAt");
    }

    @Test
    void draftNoteCanBeRevisedUntilSigned() {
        fixture.given(recorded())
               .when(new ReviseNote(sessionId, clientId, NOTE, NOW, PRACTITIONER))
               .expectSuccessfulHandlerExecution()
               .expectEventsMatching(payloadsMatching(
                       exactSequenceOf(
                               predicate(p -> p instanceof SessionNoteRevised),
                               andNoMore())));
    }

    @Test
    void signingLocksTheNote() {
        fixture.given(recorded())
               .when(new SignNote(sessionId, clientId, NOW, PRACTITIONER))
               .expectEvents(new SessionNoteSigned(clientId, sessionId, NOW, PRACTITIONER));
    }

    @Test
    void onlyTheAuthorRevisesOrSignsADraftAndAClinicAdminMaySignOnTheirBehalf() {
        Actor colleague = new Actor("practitioner-2");
        refused(fixture.given(recorded()).when(new ReviseNote(sessionId, clientId, NOTE, NOW, colleague)),
                "not-the-author", "sessionId");
        refused(fixture.given(recorded()).when(new SignNote(sessionId, clientId, NOW, colleague)),
                "not-the-author", "sessionId");
        Actor admin = new Actor("clinic-admin-1");
        fixture.given(recorded())
               .when(new SignNote(sessionId, clientId, NOW, admin, true))
               .expectEvents(new SessionNoteSigned(clientId, sessionId, NOW, admin, PRACTITIONER));
    }

    @Test
    void editingASignedNoteIsRefused() {
        refused(fixture.given(recorded(), new SessionNoteSigned(clientId, sessionId, NOW, PRACTITIONER))
                       .when(new ReviseNote(sessionId, clientId, NOTE, NOW, PRACTITIONER)),
                "note-signed", "notes");
    }

    @Test
    void aSecondSignatureIsRefused() {
        refused(fixture.given(recorded(), new SessionNoteSigned(clientId, sessionId, NOW, PRACTITIONER))
                       .when(new SignNote(sessionId, clientId, NOW, PRACTITIONER)),
                "note-already-signed", "sessionId");
    }

    @Test
    void signedNoteIsAmendedWithAuthorReasonAndTime() {
        fixture.given(recorded(), new SessionNoteSigned(clientId, sessionId, NOW, PRACTITIONER))
               .when(new AmendNote(sessionId, clientId, "observations", "Also: left temporal restriction",
                                   "Omitted at signing", NOW, PRACTITIONER))
               .expectEventsMatching(payloadsMatching(
                       exactSequenceOf(
                               predicate(p -> {
                                   SessionNoteAmended event = (SessionNoteAmended) p;
                                   assertThat(event.number()).isEqualTo(1);
                                   assertThat(event.section()).isEqualTo("observations");
                                   assertThat(cipher.of(event.clientId()).open(event.text(), SealedFields.AMENDMENT_TEXT)).contains("Also: left temporal restriction");
                                   assertThat(cipher.of(event.clientId()).open(event.reason(), SealedFields.AMENDMENT_REASON)).contains("Omitted at signing");
                                   assertThat(event.amendedBy()).isEqualTo(PRACTITIONER);
                                   return true;
                               }),
                               andNoMore())));
    }

    @Test
    void amendmentsAreNumberedInOrder() {
        fixture.given(recorded(), new SessionNoteSigned(clientId, sessionId, NOW, PRACTITIONER),
                      new SessionNoteAmended(clientId, sessionId, 1, null, cipher.seal(clientId, SealedFields.AMENDMENT_TEXT, "a"),
                                             cipher.seal(clientId, SealedFields.AMENDMENT_REASON, "r"), NOW, PRACTITIONER))
               .when(new AmendNote(sessionId, clientId, null, "b", "r2", NOW, PRACTITIONER))
               .expectEventsMatching(payloadsMatching(
                       exactSequenceOf(
                               predicate(
                                       p -> ((SessionNoteAmended) p).number() == 2),
                               andNoMore())));
    }

    @Test
    void amendingAnUnsignedNoteIsRefused() {
        refused(fixture.given(recorded())
                       .when(new AmendNote(sessionId, clientId, null, "text", "reason", NOW, PRACTITIONER)),
                "note-not-signed", "sessionId");
    }

    @Test
    void amendmentNeedsAReason() {
        refused(fixture.given(recorded(), new SessionNoteSigned(clientId, sessionId, NOW, PRACTITIONER))
                       .when(new AmendNote(sessionId, clientId, null, "text", " ", NOW, PRACTITIONER)),
                "amendment-reason-missing", "reason");
    }

    @Test
    void aSessionOfAnotherClientIsNotFound() {
        refused(fixture.given(recorded())
                       .when(new SignNote(sessionId, ClientId.random(), NOW, PRACTITIONER)),
                "session-not-found", "sessionId");
    }
}
