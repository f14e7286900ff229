package org.stillpoint.consent.command;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.CopyChannel;
import org.stillpoint.contracts.consent.CopyDownloaded;
import org.stillpoint.contracts.consent.CopyFormat;
import org.stillpoint.contracts.consent.CopyNotesDecided;
import org.stillpoint.contracts.consent.CopyNotesReferred;
import org.stillpoint.contracts.consent.CopyNotes;
import org.stillpoint.contracts.consent.CopyProduced;
import org.stillpoint.contracts.consent.CopyRequested;
import org.stillpoint.contracts.consent.ErasureRefused;
import org.stillpoint.contracts.consent.ErasureRequestWithdrawn;
import org.stillpoint.contracts.consent.ErasureRequested;
import org.stillpoint.contracts.consent.Grantor;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.platform.command.EntryWindows;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.crypto.InMemoryDataKeys;
import org.stillpoint.platform.problem.Refusal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.matches;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.stillpoint.contracts.ConsentScope.CRANIOSACRAL_THERAPY;
import static org.stillpoint.contracts.ConsentScope.INFORMATION_SHARING;
import static org.stillpoint.contracts.ConsentScope.SOMATOEMOTIONAL_RELEASE;

class ClientTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Actor PRACTITIONER = new Actor("practitioner-1");
    private static final ConsentForm FORM = new ConsentForm("cst-ser-adult", "2026-03", "a".repeat(64));

    private final ClientId clientId = ClientId.random();
    private final ConsentId consentId = ConsentId.random();
    private final InMemoryDataKeys keys = new InMemoryDataKeys();
    private final FieldCipher cipher = new FieldCipher(keys);
    private AggregateTestFixture<Client> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Client.class);
        fixture.registerInjectableResource(cipher);
        fixture.registerInjectableResource(EntryWindows.DEFAULT);
    }

    private ClientRegistered registered(LocalDate dateOfBirth) {
        return new ClientRegistered(clientId, OrganisationId.of("harmony"), ClinicId.of("north"),
                                    cipher.sealJson(clientId, SealedFields.PERSONAL_DETAILS, new PersonalDetails("Ada", "Lovelace", dateOfBirth,
                                                                                  null, null)),
                                    NOW.minus(Duration.ofDays(30)), PRACTITIONER);
    }

    private ClientRegistered adult() {
        return registered(LocalDate.of(1980, 5, 1));
    }

    private ConsentGranted granted(Set<ConsentScope> scopes, Instant expiresAt) {
        return new ConsentGranted(clientId, consentId, ClinicId.of("north"), scopes, FORM, ConsentMethod.WRITTEN,
                                  new Grantor(GrantorKind.CLIENT, null, null), null, null, NOW.minusSeconds(3600),
                                  expiresAt, NOW.minusSeconds(3600), PRACTITIONER, false, null);
    }

    private GrantConsent grant(Set<ConsentScope> scopes) {
        return new GrantConsent(clientId, consentId, null, scopes, FORM, ConsentMethod.WRITTEN, GrantorKind.CLIENT,
                                null, null, null, "no work on the neck; stop signal: hand raised", null, null, null, NOW,
                                PRACTITIONER);
    }

    @SafeVarargs
    private static void expectPayloads(ResultValidator<Client> result, Predicate<Object>... payloads) {
        result.expectSuccessfulHandlerExecution();
        @SuppressWarnings("unchecked")
        org.hamcrest.Matcher<Object>[] matchers = new org.hamcrest.Matcher[payloads.length + 1];
        for (int i = 0; i < payloads.length; i++) {
            matchers[i] = matches(payloads[i]);
        }
        matchers[payloads.length] = andNoMore();
        result.expectEventsMatching(payloadsMatching(exactSequenceOf(matchers)));
    }

    private static void expectRefusal(ResultValidator<Client> result, Refusal.Kind kind, String code, String field) {
        result.expectNoEvents()
              .expectException(Refusal.class)
              .expectExceptionMessage(org.hamcrest.Matchers.any(String.class));
        result.expectException(matches((Object e) -> e instanceof Refusal r && r.kind() == kind
                && r.code().equals(code) && field.equals(r.field())));
    }

    @Test
    void registeringAClientSealsTheirPersonalDetails() {
        PersonalDetails details = new PersonalDetails("Ada", "Lovelace", LocalDate.of(1980, 5, 1), "ada@example.org", null);
        expectPayloads(fixture.givenNoPriorActivity().when(new RegisterClient(
                               clientId, OrganisationId.of("harmony"), ClinicId.of("north"), details, NOW, PRACTITIONER)),
                       p -> p instanceof ClientRegistered r && r.clientId().equals(clientId)
                               && !r.personalDetails().ciphertext().contains("Lovelace")
                               && cipher.of(r.clientId()).openJson(r.personalDetails(), SealedFields.PERSONAL_DETAILS, PersonalDetails.class).orElseThrow().equals(details));
    }

    @Test
    void consentRecordsItsScopesFormGrantorAndSealedBoundaries() {
        expectPayloads(fixture.given(adult()).when(grant(Set.of(CRANIOSACRAL_THERAPY, SOMATOEMOTIONAL_RELEASE))),
                       p -> p instanceof ConsentGranted g
                               && g.scopes().equals(Set.of(CRANIOSACRAL_THERAPY, SOMATOEMOTIONAL_RELEASE))
                               && g.form().equals(FORM) && g.grantor().kind() == GrantorKind.CLIENT
                               && g.clinicId().equals(ClinicId.of("north")) && g.grantedAt().equals(NOW)
                               && cipher.of(g.clientId()).open(g.boundaries(), SealedFields.BOUNDARIES).orElseThrow().startsWith("no work on the neck"));
    }

    @Test
    void consentNeedsAtLeastOneScope() {
        expectRefusal(fixture.given(adult()).when(grant(Set.of())), Refusal.Kind.UNPROCESSABLE, "empty-scope", "scopes");
    }

    @Test
    void expiryMustLieInTheFuture() {
        GrantConsent past = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                             ConsentMethod.WRITTEN, GrantorKind.CLIENT, null, null, null, null, null,
                                             NOW.minusSeconds(1), null, NOW, PRACTITIONER);
        expectRefusal(fixture.given(adult()).when(past), Refusal.Kind.UNPROCESSABLE, "expiry-in-past", "expiresAt");
    }

    @Test
    void anExpiryFurtherAheadThanTheHorizonIsRefused() {
        GrantConsent forever = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                                ConsentMethod.WRITTEN, GrantorKind.CLIENT, null, null, null, null, null,
                                                Instant.parse("+999999-01-01T00:00:00Z"), null, NOW, PRACTITIONER);
        expectRefusal(fixture.given(adult()).when(forever), Refusal.Kind.UNPROCESSABLE, "expiry-beyond-horizon",
                      "expiresAt");
        GrantConsent withinTenYears = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                                       ConsentMethod.WRITTEN, GrantorKind.CLIENT, null, null, null, null,
                                                       null, NOW.plus(Duration.ofDays(3650)), null, NOW, PRACTITIONER);
        fixture.given(adult()).when(withinTenYears).expectSuccessfulHandlerExecution();
    }

    @Test
    void aConsentGivenLongerAgoThanTheWindowIsALateEntryThatNeedsItsReason() {
        Instant lastWeek = NOW.minus(Duration.ofDays(7));
        GrantConsent silent = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                               ConsentMethod.WRITTEN, GrantorKind.CLIENT, null, null, null, null,
                                               lastWeek, null, "", NOW, PRACTITIONER);
        expectRefusal(fixture.given(adult()).when(silent), Refusal.Kind.UNPROCESSABLE, "late-entry-reason-missing",
                      "lateEntryReason");
        GrantConsent ancient = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                                ConsentMethod.WRITTEN, GrantorKind.CLIENT, null, null, null, null,
                                                Instant.parse("1999-01-01T00:00:00Z"), null, "found it", NOW,
                                                PRACTITIONER);
        expectRefusal(fixture.given(adult()).when(ancient), Refusal.Kind.UNPROCESSABLE, "beyond-horizon", "grantedAt");
        GrantConsent explained = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                                  ConsentMethod.WRITTEN, GrantorKind.CLIENT, null, null, null, null,
                                                  lastWeek, null, "Signed on paper at the outreach clinic", NOW,
                                                  PRACTITIONER);
        fixture.given(adult()).when(explained).expectEventsMatching(payloadsMatching(exactSequenceOf(
                matches(p -> p instanceof ConsentGranted g && g.lateEntry() && g.grantedAt().equals(lastWeek)
                        && cipher.of(g.clientId()).open(g.lateEntryReason(), SealedFields.CONSENT_LATE_ENTRY_REASON).orElseThrow()
                                 .equals("Signed on paper at the outreach clinic")),
                andNoMore())));
    }

    @Test
    void consentCannotBeGivenInTheFuture() {
        GrantConsent future = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                               ConsentMethod.WRITTEN, GrantorKind.CLIENT, null, null, null, null,
                                               NOW.plus(Duration.ofHours(2)), null, null, NOW, PRACTITIONER);
        expectRefusal(fixture.given(adult()).when(future), Refusal.Kind.UNPROCESSABLE, "granted-in-future", "grantedAt");
    }

    @Test
    void verbalConsentNeedsAWitness() {
        GrantConsent verbal = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                               ConsentMethod.VERBAL_WITNESSED, GrantorKind.CLIENT, null, null, " ",
                                               null, null, null, null, NOW, PRACTITIONER);
        expectRefusal(fixture.given(adult()).when(verbal), Refusal.Kind.UNPROCESSABLE, "witness-missing", "witness");
    }

    @Test
    void aMinorNeedsAGuardianToConsent() {
        expectRefusal(fixture.given(registered(LocalDate.of(2025, 1, 10))).when(grant(Set.of(CRANIOSACRAL_THERAPY))),
                      Refusal.Kind.UNPROCESSABLE, "guardian-required", "grantor.kind");
    }

    @Test
    void aGuardianConsentsForAMinorWithNameAndRelationshipSealedAndKept() {
        GrantConsent byMother = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                                 ConsentMethod.WRITTEN, GrantorKind.GUARDIAN, "Grace Hopper", "mother",
                                                 null, null, null, null, null, NOW, PRACTITIONER);
        expectPayloads(fixture.given(registered(LocalDate.of(2025, 1, 10))).when(byMother),
                       p -> p instanceof ConsentGranted g && g.grantor().kind() == GrantorKind.GUARDIAN
                               && g.grantor().relationship().equals("mother")
                               && cipher.of(g.clientId()).open(g.grantor().name(), SealedFields.GUARDIAN_NAME).orElseThrow().equals("Grace Hopper"));
    }

    @Test
    void anAdultsConsentIsNotAGuardiansUnlessALegalRepresentativeGivesIt() {
        GrantConsent byMother = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                                 ConsentMethod.WRITTEN, GrantorKind.GUARDIAN, "Grace Hopper", "mother",
                                                 null, null, null, null, null, NOW, PRACTITIONER);
        expectRefusal(fixture.given(adult()).when(byMother), Refusal.Kind.UNPROCESSABLE, "guardian-not-allowed",
                      "grantor.relationship");
        GrantConsent byRepresentative = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                                         ConsentMethod.WRITTEN, GrantorKind.GUARDIAN, "Grace Hopper",
                                                         "Court-appointed guardian", null, null, null, null, null, NOW,
                                                         PRACTITIONER);
        expectPayloads(fixture.given(adult()).when(byRepresentative),
                       p -> p instanceof ConsentGranted g && g.grantor().kind() == GrantorKind.GUARDIAN);
    }

    @Test
    void aGuardianMustBeNamedWithTheirRelationship() {
        GrantConsent unnamed = new GrantConsent(clientId, consentId, null, Set.of(CRANIOSACRAL_THERAPY), FORM,
                                                ConsentMethod.WRITTEN, GrantorKind.GUARDIAN, "Grace Hopper", null,
                                                null, null, null, null, null, NOW, PRACTITIONER);
        expectRefusal(fixture.given(registered(LocalDate.of(2025, 1, 10))).when(unnamed),
                      Refusal.Kind.UNPROCESSABLE, "guardian-details-missing", "grantor.relationship");
    }

    @Test
    void aConsentIdIsUsedOnce() {
        expectRefusal(fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY), null))
                             .when(grant(Set.of(CRANIOSACRAL_THERAPY))),
                      Refusal.Kind.CONFLICT, "consent-exists", "consentId");
    }

    @Test
    void consentCannotBeRecordedOnceTheClientsDataWasErased() {
        fixture.given(adult());
        keys.shred(clientId);
        expectRefusal(fixture.when(grant(Set.of(CRANIOSACRAL_THERAPY))), Refusal.Kind.CONFLICT, "client-erased", "clientId");
    }

    @Test
    void withdrawingSomeScopesLeavesTheRestActive() {
        expectPayloads(fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY, SOMATOEMOTIONAL_RELEASE), null))
                              .when(new WithdrawConsent(clientId, consentId, Set.of(SOMATOEMOTIONAL_RELEASE),
                                                        "prefers bodywork only", NOW, PRACTITIONER)),
                       p -> p instanceof ConsentWithdrawn w && w.withdrawnScopes().equals(Set.of(SOMATOEMOTIONAL_RELEASE))
                               && w.remainingScopes().equals(Set.of(CRANIOSACRAL_THERAPY)) && !w.ended()
                               && w.withdrawnAt().equals(NOW)
                               && cipher.of(w.clientId()).open(w.reason(), SealedFields.WITHDRAWAL_REASON).orElseThrow().equals("prefers bodywork only"));
    }

    @Test
    void withdrawingWithoutNamingScopesEndsTheWholeConsent() {
        expectPayloads(fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY, INFORMATION_SHARING), null))
                              .when(new WithdrawConsent(clientId, consentId, Set.of(), null, NOW, PRACTITIONER)),
                       p -> p instanceof ConsentWithdrawn w && w.ended()
                               && w.withdrawnScopes().equals(Set.of(CRANIOSACRAL_THERAPY, INFORMATION_SHARING))
                               && w.reason() == null);
    }

    @Test
    void withdrawingAScopeThatIsNotGrantedIsRefused() {
        expectRefusal(fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY), null))
                             .when(new WithdrawConsent(clientId, consentId, Set.of(INFORMATION_SHARING), null, NOW,
                                                       PRACTITIONER)),
                      Refusal.Kind.UNPROCESSABLE, "scope-not-granted", "scopes");
    }

    @Test
    void aScopeWithdrawnOnceCannotBeWithdrawnAgain() {
        ConsentWithdrawn partly = new ConsentWithdrawn(clientId, consentId, Set.of(SOMATOEMOTIONAL_RELEASE),
                                                       Set.of(CRANIOSACRAL_THERAPY), null, NOW.minusSeconds(60),
                                                       PRACTITIONER);
        expectRefusal(fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY, SOMATOEMOTIONAL_RELEASE), null), partly)
                             .when(new WithdrawConsent(clientId, consentId, Set.of(SOMATOEMOTIONAL_RELEASE), null, NOW,
                                                       PRACTITIONER)),
                      Refusal.Kind.UNPROCESSABLE, "scope-not-granted", "scopes");
    }

    @Test
    void anEndedConsentHasNothingToWithdraw() {
        ConsentWithdrawn all = new ConsentWithdrawn(clientId, consentId, Set.of(CRANIOSACRAL_THERAPY), Set.of(), null,
                                                    NOW.minusSeconds(60), PRACTITIONER);
        expectRefusal(fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY), null), all)
                             .when(new WithdrawConsent(clientId, consentId, Set.of(), null, NOW, PRACTITIONER)),
                      Refusal.Kind.CONFLICT, "consent-not-active", "consentId");
    }

    @Test
    void aConsentPastItsExpiryIsNotActiveEvenBeforeTheExpiryIsRecorded() {
        expectRefusal(fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY), NOW.minusSeconds(1)))
                             .when(new WithdrawConsent(clientId, consentId, Set.of(), null, NOW, PRACTITIONER)),
                      Refusal.Kind.CONFLICT, "consent-not-active", "consentId");
    }

    @Test
    void anUnknownConsentIsNotFound() {
        expectRefusal(fixture.given(adult())
                             .when(new WithdrawConsent(clientId, ConsentId.random(), Set.of(), null, NOW, PRACTITIONER)),
                      Refusal.Kind.NOT_FOUND, "consent-not-found", "consentId");
    }

    @Test
    void expiryIsRecordedAtTheExpiryInstantNotAtTheCheck() {
        Instant expiry = NOW.minusSeconds(90);
        expectPayloads(fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY), expiry))
                              .when(new ExpireConsent(clientId, consentId, NOW)),
                       p -> p instanceof ConsentExpired e && e.expiredAt().equals(expiry) && e.recordedAt().equals(NOW)
                               && e.scopes().equals(Set.of(CRANIOSACRAL_THERAPY)));
    }

    @Test
    void aConsentDoesNotExpireBeforeItsTime() {
        expectRefusal(fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY), NOW.plusSeconds(60)))
                             .when(new ExpireConsent(clientId, consentId, NOW)),
                      Refusal.Kind.CONFLICT, "not-yet-expired", "consentId");
    }

    @Test
    void anExpiredConsentDoesNotExpireTwice() {
        Instant expiry = NOW.minusSeconds(90);
        expectRefusal(fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY), expiry),
                                    new ConsentExpired(clientId, consentId, Set.of(CRANIOSACRAL_THERAPY), expiry, expiry))
                             .when(new ExpireConsent(clientId, consentId, NOW)),
                      Refusal.Kind.CONFLICT, "consent-not-active", "consentId");
    }

    @Test
    void theAggregateSurvivesASnapshotRoundTrip() {
        // snapshots are Jackson documents of the aggregate; a consent map must come back intact
        com.fasterxml.jackson.databind.ObjectMapper json = org.stillpoint.platform.axon.EventJson.newMapper();
        Client client = new Client();
        client.on(adult());
        client.on(granted(Set.of(CRANIOSACRAL_THERAPY), NOW.plusSeconds(60)));
        Client copy;
        try {
            copy = json.readValue(json.writeValueAsString(client), Client.class);
            assertThat(json.writeValueAsString(copy)).isEqualTo(json.writeValueAsString(client));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- the client's copy (DESIGN §10)

    private final UUID copyId = UUID.randomUUID();

    private CopyRequested copyRequested() {
        return new CopyRequested(clientId, copyId, OrganisationId.of("harmony"), ClinicId.of("north"),
                                 CopyChannel.CLIENT_VIEW, NOW, NOW.plus(Duration.ofDays(30)), NOW,
                                 new Actor("client/" + clientId));
    }

    private RecordCopyProduced produce() {
        return new RecordCopyProduced(clientId, copyId, NOW, NOW.plus(Duration.ofDays(14)), 2, CopyNotes.WITHHELD, 9,
                                      "a".repeat(64), "b".repeat(64));
    }

    private CopyProduced produced() {
        return new CopyProduced(clientId, copyId, OrganisationId.of("harmony"), ClinicId.of("north"), NOW,
                                NOW.plus(Duration.ofDays(14)), 2, CopyNotes.WITHHELD, 9, "a".repeat(64), "b".repeat(64));
    }

    private DownloadCopy download(Instant at) {
        return new DownloadCopy(clientId, copyId, CopyFormat.FHIR_BUNDLE, at, new Actor("client/" + clientId));
    }

    @Test
    void aProducedCopyAnswersItsRequestOnceAndANewOneMayBeAsked() {
        expectPayloads(fixture.given(adult(), copyRequested()).when(produce()),
                       p -> p instanceof CopyProduced c && c.requestId().equals(copyId) && c.downloadsAllowed() == 2);
        expectRefusal(fixture.given(adult(), copyRequested(), produced()).when(produce()),
                      Refusal.Kind.CONFLICT, "copy-produced-already", "requestId");
        expectRefusal(fixture.given(adult()).when(produce()), Refusal.Kind.NOT_FOUND, "copy-request-not-found",
                      "requestId");
        fixture.given(adult(), copyRequested(), produced())
               .when(new RequestCopy(clientId, UUID.randomUUID(), CopyChannel.CLIENT_VIEW, NOW, NOW.plusSeconds(60),
                                     NOW, new Actor("client/" + clientId)))
               .expectSuccessfulHandlerExecution();
    }

    @Test
    void aClinicAdministratorDecidesOnTheNotesOfACopyReferredToThemOnceAndADenialSaysWhy() {
        CopyNotesReferred referred = new CopyNotesReferred(clientId, copyId, OrganisationId.of("harmony"),
                                                           ClinicId.of("north"), NOW);
        expectPayloads(fixture.given(adult(), copyRequested()).when(new ReferCopyNotes(clientId, copyId, NOW)),
                       p -> p instanceof CopyNotesReferred r && r.requestId().equals(copyId));
        expectRefusal(fixture.given(adult(), copyRequested(), referred).when(new ReferCopyNotes(clientId, copyId, NOW)),
                      Refusal.Kind.CONFLICT, "copy-notes-referred-already", "requestId");
        expectPayloads(fixture.given(adult(), copyRequested(), referred)
                              .when(new DecideCopyNotes(clientId, copyId, false, "a third party is named", NOW, ADMIN)),
                       p -> p instanceof CopyNotesDecided d && !d.released()
                               && !d.reason().ciphertext().contains("third party")
                               && cipher.of(clientId).open(d.reason(), SealedFields.COPY_NOTES_REASON).orElseThrow()
                                        .equals("a third party is named"));
        expectRefusal(fixture.given(adult(), copyRequested(), referred)
                             .when(new DecideCopyNotes(clientId, copyId, false, " ", NOW, ADMIN)),
                      Refusal.Kind.INVALID, "invalid-request", "reason");
        expectRefusal(fixture.given(adult(), copyRequested())
                             .when(new DecideCopyNotes(clientId, copyId, true, null, NOW, ADMIN)),
                      Refusal.Kind.CONFLICT, "copy-notes-not-referred", "requestId");
        CopyNotesDecided released = new CopyNotesDecided(clientId, copyId, OrganisationId.of("harmony"),
                                                         ClinicId.of("north"), true, null, NOW, ADMIN);
        expectRefusal(fixture.given(adult(), copyRequested(), referred, released)
                             .when(new DecideCopyNotes(clientId, copyId, false, "changed my mind", NOW, ADMIN)),
                      Refusal.Kind.CONFLICT, "copy-notes-decided", "requestId");
        expectRefusal(fixture.given(adult()).when(new DecideCopyNotes(clientId, copyId, true, null, NOW, ADMIN)),
                      Refusal.Kind.NOT_FOUND, "copy-request-not-found", "requestId");
    }

    @Test
    void aCopyIsDownloadedAsOftenAsItAllowsWhileItLasts() {
        expectPayloads(fixture.given(adult(), copyRequested(), produced()).when(download(NOW.plusSeconds(60))),
                       p -> p instanceof CopyDownloaded d && d.downloadsLeft() == 1);
        fixture.given(adult(), copyRequested(), produced()).when(download(NOW.plusSeconds(60))).expectResultMessagePayload(1);
        CopyDownloaded first = new CopyDownloaded(clientId, copyId, OrganisationId.of("harmony"), ClinicId.of("north"),
                                                  CopyFormat.DOCUMENT, NOW, new Actor("client/" + clientId), 1);
        CopyDownloaded second = new CopyDownloaded(clientId, copyId, OrganisationId.of("harmony"), ClinicId.of("north"),
                                                   CopyFormat.DOCUMENT, NOW, new Actor("client/" + clientId), 0);
        expectRefusal(fixture.given(adult(), copyRequested(), produced(), first, second).when(download(NOW)),
                      Refusal.Kind.GONE, "copy-downloads-used", "requestId");
        expectRefusal(fixture.given(adult(), copyRequested(), produced()).when(download(NOW.plus(Duration.ofDays(14)))),
                      Refusal.Kind.GONE, "copy-expired", "requestId");
        expectRefusal(fixture.given(adult(), copyRequested()).when(download(NOW)), Refusal.Kind.CONFLICT,
                      "copy-not-ready", "requestId");
        expectRefusal(fixture.given(adult()).when(download(NOW)), Refusal.Kind.NOT_FOUND, "copy-request-not-found",
                      "requestId");
    }

    @Test
    void anErasedClientsCopyIsNeitherProducedNorDownloaded() {
        ClientErased erased = new ClientErased(clientId, UUID.randomUUID(), OrganisationId.of("harmony"),
                                               ClinicId.of("north"), "GDPR Art. 17(1)(b)", null,
                                               cipher.seal(clientId, SealedFields.ERASURE_REASON, "asked"),
                                               ADMIN, OFFICER, NOW);
        fixture.given(adult(), copyRequested(), erased).when(produce()).expectException(Refusal.class).expectNoEvents();
        fixture.given(adult(), copyRequested(), produced(), erased).when(download(NOW)).expectException(Refusal.class)
               .expectNoEvents();
    }

    @Test
    void aProducedCopySurvivesASnapshotRoundTrip() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = org.stillpoint.platform.axon.EventJson.newMapper();
        Client client = new Client();
        client.on(adult());
        client.on(copyRequested());
        client.on(produced());
        String written = json.writeValueAsString(client);
        assertThat(json.writeValueAsString(json.readValue(written, Client.class))).isEqualTo(written)
                                                                                  .contains(copyId.toString());
    }

    // ---------------------------------------------------------------- erasure (DESIGN §6b)

    private static final Actor ADMIN = new Actor("cam-clinic-admin");
    private static final Actor OFFICER = new Actor("cole-compliance");
    private final UUID requestId = UUID.randomUUID();

    private ErasureRequested requested() {
        return new ErasureRequested(
                clientId, requestId, OrganisationId.of("harmony"), ClinicId.of("north"), "GDPR Art. 17(1)(b)",
                cipher.seal(clientId, SealedFields.ERASURE_REASON, "the client withdrew and asked"), NOW, ADMIN);
    }

    private ApproveErasure approve(Actor by, String override) {
        return new ApproveErasure(clientId, requestId, "checked with the client", override,
                                  Period.ofYears(7), NOW.plusSeconds(60), by);
    }

    @Test
    void anErasureIsRequestedOnceAtATime() {
        fixture.given(adult()).when(new RequestErasure(clientId, requestId, "GDPR Art. 17(1)(b)", "asked", NOW, ADMIN))
               .expectSuccessfulHandlerExecution()
               .expectEventsMatching(payloadsMatching(exactSequenceOf(
                       matches((Object e) -> e instanceof ErasureRequested r
                               && r.requestId().equals(requestId) && r.reason() != null
                               && r.legalBasis().equals("GDPR Art. 17(1)(b)")), andNoMore())));
        expectRefusal(fixture.given(adult(), requested())
                             .when(new RequestErasure(clientId, UUID.randomUUID(), "GDPR", "again", NOW, ADMIN)),
                      Refusal.Kind.CONFLICT, "erasure-pending", "requestId");
    }

    @Test
    void theRequesterCannotApproveTheirOwnRequest() {
        expectRefusal(fixture.given(adult(), requested()).when(approve(ADMIN, null)), Refusal.Kind.FORBIDDEN,
                      "dual-control", "requestId");
    }

    @Test
    void anUnknownOrWithdrawnRequestIsNotApproved() {
        expectRefusal(fixture.given(adult()).when(approve(OFFICER, null)), Refusal.Kind.NOT_FOUND,
                      "erasure-request-not-found", "requestId");
        expectRefusal(fixture.given(adult(), requested(), new ErasureRequestWithdrawn(
                              clientId, requestId, NOW, ADMIN)).when(approve(OFFICER, null)),
                      Refusal.Kind.CONFLICT, "erasure-request-closed", "requestId");
    }

    @Test
    void insideTheRetentionPeriodAnApprovalIsRefusedAndRecordedUnlessALegalOverrideIsNamed() {
        fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY), null), requested())
               .when(approve(OFFICER, null))
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayloadMatching(matches((Object r) -> r instanceof ErasureDecision d && !d.erased()
                       && d.rule().contains("7 years") && d.keptUntil().isAfter(NOW.plus(Duration.ofDays(365 * 6)))))
               .expectEventsMatching(payloadsMatching(exactSequenceOf(
                       matches((Object e) -> e instanceof ErasureRefused), andNoMore())));
        fixture.given(adult(), granted(Set.of(CRANIOSACRAL_THERAPY), null), requested())
               .when(approve(OFFICER, "court order 2026/114"))
               .expectSuccessfulHandlerExecution()
               .expectEventsMatching(payloadsMatching(exactSequenceOf(
                       matches((Object e) -> e instanceof ClientErased erased
                               && erased.legalOverride().equals("court order 2026/114")
                               && erased.requestedBy().equals(ADMIN) && erased.approvedBy().equals(OFFICER)
                               && erased.legalBasis().equals("GDPR Art. 17(1)(b)")), andNoMore())));
    }

    @Test
    void afterTheRetentionPeriodTheApprovalErasesAndNothingMoreIsRecordedForTheClient() {
        ClientRegistered longAgo = new ClientRegistered(clientId, OrganisationId.of("harmony"), ClinicId.of("north"),
                                                        adult().personalDetails(), NOW.minus(Duration.ofDays(365 * 8)),
                                                        PRACTITIONER);
        fixture.given(longAgo, requested()).when(approve(OFFICER, null))
               .expectResultMessagePayloadMatching(matches((Object r) -> r instanceof ErasureDecision d && d.erased()));
        ClientErased erased = new ClientErased(
                clientId, requestId, OrganisationId.of("harmony"), ClinicId.of("north"), "GDPR", null,
                cipher.seal(clientId, SealedFields.ERASURE_JUSTIFICATION, "ok"), ADMIN, OFFICER, NOW);
        expectRefusal(fixture.given(longAgo, requested(), erased).when(grant(Set.of(CRANIOSACRAL_THERAPY))),
                      Refusal.Kind.CONFLICT, "client-erased", "clientId");
        expectRefusal(fixture.given(longAgo, requested(), erased)
                             .when(new RequestErasure(clientId, UUID.randomUUID(), "GDPR", "again", NOW, ADMIN)),
                      Refusal.Kind.CONFLICT, "client-erased", "clientId");
    }

    @Test
    void aRetentionPeriodIsSaidInWords() {
        assertThat(Client.inWords(Period.ofYears(7))).isEqualTo("7 years");
        assertThat(Client.inWords(Period.of(1, 6, 0))).isEqualTo("1 year 6 months");
    }
}
