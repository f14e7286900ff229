package org.stillpoint.referral.command;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stillpoint.consentview.InMemoryConsentGate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.Grantor;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.contracts.referral.InformationCategory;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.RecipientKind;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralStatus;
import org.stillpoint.contracts.referral.ReferralStatusChanged;
import org.stillpoint.contracts.referral.Urgency;
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

class ReferralTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Actor PRACTITIONER = new Actor("practitioner-1");
    private static final ClinicId NORTH = ClinicId.of("north");
    private static final RecipientDetails GP = new RecipientDetails(RecipientKind.MEDICAL, "Dr. Amara Osei",
                                                                    "Harbour Medical Practice",
                                                                    new Recipient.Contact("a.osei@example.org", null));
    private static final Set<InformationCategory> SHARED = EnumSet.of(InformationCategory.DEMOGRAPHICS,
                                                                      InformationCategory.SESSION_SUMMARIES);

    private final ClientId clientId = ClientId.random();
    private final ReferralId referralId = ReferralId.random();
    private final ConsentId consentId = ConsentId.random();
    private final FieldCipher cipher = new FieldCipher(new InMemoryDataKeys());
    private final InMemoryConsentGate consents = new InMemoryConsentGate();
    private AggregateTestFixture<Referral> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Referral.class);
        fixture.registerInjectableResource(cipher);
        fixture.registerInjectableResource(consents);
        consents.given(clientId, 0, new ClientRegistered(clientId, OrganisationId.of("harmony"), NORTH,
                                                         new Sealed("k", "c"), NOW.minus(Duration.ofDays(60)), PRACTITIONER));
    }

    private void sharingConsent() {
        consents.given(clientId, 1, new ConsentGranted(
                clientId, consentId, NORTH, Set.of(ConsentScope.INFORMATION_SHARING, ConsentScope.CRANIOSACRAL_THERAPY),
                new ConsentForm("f", "1", "a".repeat(64)), ConsentMethod.WRITTEN,
                new Grantor(GrantorKind.CLIENT, null, null), null, null, NOW.minus(Duration.ofDays(10)), null,
                NOW.minus(Duration.ofDays(10)), PRACTITIONER, false, null));
    }

    private IssueReferral issue(Urgency urgency, Set<InformationCategory> shared, String justification) {
        return new IssueReferral(referralId, clientId, NORTH, GP, urgency, "Persistent headaches: medical review",
                                 null, shared, justification, null, NOW, PRACTITIONER);
    }

    private ReferralIssued issued() {
        Recipient sealed = new Recipient(GP.kind(), GP.name(), GP.organisation(),
                                         cipher.sealJson(clientId, SealedFields.RECIPIENT_CONTACT, GP.contact()));
        return new ReferralIssued(clientId, referralId, OrganisationId.of("harmony"), NORTH, sealed, Urgency.ROUTINE,
                                  cipher.seal(clientId, SealedFields.REFERRAL_REASON, "reason"), null, SHARED,
                                  List.of(new ConsentReliance(consentId, 1, Set.of(ConsentScope.INFORMATION_SHARING))),
                                  1, false, null, false, NOW.minus(Duration.ofDays(1)), PRACTITIONER);
    }

    private static void refused(ResultValidator<Referral> result, String code, String field) {
        result.expectNoEvents()
              .expectException(predicate(e -> e instanceof Refusal r && r.code().equals(code)
                      && (field == null || field.equals(r.field()))));
    }

    @Test
    void referralUnderSharingConsentIsTheDisclosureRecord() {
        sharingConsent();
        fixture.givenNoPriorActivity()
               .when(issue(Urgency.URGENT, SHARED, null))
               .expectEventsMatching(payloadsMatching(exactSequenceOf(predicate(p -> {
                   ReferralIssued event = (ReferralIssued) p;
                   assertThat(event.recipient().name()).isEqualTo(GP.name());
                   assertThat(event.recipient().kind()).isEqualTo(GP.kind());
                   assertThat(event.recipient().organisation()).isEqualTo(GP.organisation());
                   assertThat(event.recipient().contact().ciphertext()).doesNotContain("osei");
                   assertThat(cipher.of(event.clientId()).openJson(event.recipient().contact(), SealedFields.RECIPIENT_CONTACT,
                                              Recipient.Contact.class)).contains(GP.contact());
                   assertThat(event.sharedCategories()).isEqualTo(SHARED);
                   assertThat(event.issuedAt()).isEqualTo(NOW);
                   assertThat(cipher.of(event.clientId()).open(event.reason(), SealedFields.REFERRAL_REASON)).contains("Persistent headaches: medical review");
                   assertThat(event.consents()).containsExactly(
                           new ConsentReliance(consentId, 1, Set.of(ConsentScope.INFORMATION_SHARING)));
                   assertThat(event.organisationId()).isEqualTo(OrganisationId.of("harmony"));
                   assertThat(event.emergencyOverride()).isFalse();
                   assertThat(event.reviewRequired()).isFalse();
                   return true;
               }), andNoMore())));
    }

    @Test
    void referralWithoutSharingConsentIsRefused() {
        refused(fixture.givenNoPriorActivity().when(issue(Urgency.URGENT, SHARED, null)),
                "consent-missing", "sharedCategories");
    }

    @Test
    void referralAfterSharingConsentWasWithdrawnIsRefused() {
        sharingConsent();
        consents.given(clientId, 2, new ConsentWithdrawn(clientId, consentId, Set.of(ConsentScope.INFORMATION_SHARING),
                                                         Set.of(ConsentScope.CRANIOSACRAL_THERAPY), null,
                                                         NOW.minus(Duration.ofHours(1)), PRACTITIONER));
        refused(fixture.givenNoPriorActivity().when(issue(Urgency.ROUTINE, SHARED, null)),
                "consent-missing", "sharedCategories");
    }

    @Test
    void emergencyWithoutConsentGoesOutWithJustificationFlaggedForReview() {
        fixture.givenNoPriorActivity()
               .when(issue(Urgency.EMERGENCY, SHARED, "Client disclosed a plan to self-harm; GP must act today"))
               .expectEventsMatching(payloadsMatching(exactSequenceOf(predicate(p -> {
                   ReferralIssued event = (ReferralIssued) p;
                   assertThat(event.emergencyOverride()).isTrue();
                   assertThat(event.reviewRequired()).isTrue();
                   assertThat(event.consents()).isEmpty();
                   assertThat(cipher.of(event.clientId()).open(event.justification(), SealedFields.EMERGENCY_JUSTIFICATION)).contains(
                           "Client disclosed a plan to self-harm; GP must act today");
                   return true;
               }), andNoMore())));
    }

    @Test
    void emergencyWithoutConsentOrJustificationIsRefused() {
        refused(fixture.givenNoPriorActivity().when(issue(Urgency.EMERGENCY, SHARED, "  ")),
                "justification-missing", "emergencyJustification");
    }

    @Test
    void emergencyUnderConsentNeedsNoReview() {
        sharingConsent();
        fixture.givenNoPriorActivity()
               .when(issue(Urgency.EMERGENCY, SHARED, null))
               .expectEventsMatching(payloadsMatching(exactSequenceOf(predicate(
                       p -> !((ReferralIssued) p).reviewRequired() && !((ReferralIssued) p).emergencyOverride()),
                                                                      andNoMore())));
    }

    @Test
    void justificationIsOnlyForEmergencies() {
        sharingConsent();
        refused(fixture.givenNoPriorActivity().when(issue(Urgency.ROUTINE, SHARED, "because")),
                "justification-without-emergency", "emergencyJustification");
    }

    @Test
    void emptySharedCategoriesAreRefused() {
        sharingConsent();
        refused(fixture.givenNoPriorActivity().when(issue(Urgency.ROUTINE, Set.of(), null)),
                "nothing-shared", "sharedCategories");
    }

    @Test
    void unknownClientIsNotFound() {
        IssueReferral command = new IssueReferral(referralId, ClientId.random(), NORTH, GP, Urgency.ROUTINE, "r", null,
                                                  SHARED, null, null, NOW, PRACTITIONER);
        refused(fixture.givenNoPriorActivity().when(command), "client-not-found", "clientId");
    }

    @Test
    void sharingConsentAtAnotherClinicDoesNotCover() {
        sharingConsent();
        IssueReferral command = new IssueReferral(referralId, clientId, ClinicId.of("south"), GP, Urgency.ROUTINE, "r",
                                                  null, SHARED, null, null, NOW, PRACTITIONER);
        refused(fixture.givenNoPriorActivity().when(command), "consent-missing", "sharedCategories");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"ISSUED, ACKNOWLEDGED", "ISSUED, DECLINED", "ISSUED, CANCELLED", "ACKNOWLEDGED, COMPLETED",
                "ACKNOWLEDGED, DECLINED", "ACKNOWLEDGED, CANCELLED"})
    void legalTransitionsAreRecordedWithActorTimeAndNote(ReferralStatus from, ReferralStatus to) {
        fixture.given(history(from))
               .when(new ChangeReferralStatus(referralId, clientId, to, "called the practice", NOW, PRACTITIONER))
               .expectEventsMatching(payloadsMatching(exactSequenceOf(predicate(p -> {
                   ReferralStatusChanged event = (ReferralStatusChanged) p;
                   assertThat(event.from()).isEqualTo(from);
                   assertThat(event.to()).isEqualTo(to);
                   assertThat(event.changedBy()).isEqualTo(PRACTITIONER);
                   assertThat(event.changedAt()).isEqualTo(NOW);
                   assertThat(cipher.of(event.clientId()).open(event.note(), SealedFields.STATUS_NOTE)).contains("called the practice");
                   return true;
               }), andNoMore())));
    }

    @ParameterizedTest(name = "{0} → {1} is refused")
    @CsvSource({"ISSUED, COMPLETED", "ISSUED, ISSUED", "ACKNOWLEDGED, ACKNOWLEDGED", "ACKNOWLEDGED, ISSUED",
                "COMPLETED, CANCELLED", "COMPLETED, DECLINED", "CANCELLED, COMPLETED", "CANCELLED, ACKNOWLEDGED",
                "DECLINED, ACKNOWLEDGED", "DECLINED, COMPLETED"})
    void illegalTransitionsAreRefused(ReferralStatus from, ReferralStatus to) {
        refused(fixture.given(history(from))
                       .when(new ChangeReferralStatus(referralId, clientId, to, null, NOW, PRACTITIONER)),
                "illegal-transition", "status");
    }

    @Test
    void aReferralOfAnotherClientIsNotFound() {
        refused(fixture.given(issued())
                       .when(new ChangeReferralStatus(referralId, ClientId.random(), ReferralStatus.ACKNOWLEDGED, null,
                                                      NOW, PRACTITIONER)),
                "referral-not-found", "referralId");
    }

    private Object[] history(ReferralStatus status) {
        return switch (status) {
            case ISSUED -> new Object[]{issued()};
            case ACKNOWLEDGED -> new Object[]{issued(), changed(ReferralStatus.ISSUED, ReferralStatus.ACKNOWLEDGED)};
            case COMPLETED -> new Object[]{issued(), changed(ReferralStatus.ISSUED, ReferralStatus.ACKNOWLEDGED),
                                           changed(ReferralStatus.ACKNOWLEDGED, ReferralStatus.COMPLETED)};
            case DECLINED, CANCELLED -> new Object[]{issued(), changed(ReferralStatus.ISSUED, status)};
        };
    }

    private ReferralStatusChanged changed(ReferralStatus from, ReferralStatus to) {
        return new ReferralStatusChanged(clientId, referralId, from, to, null, NOW.minus(Duration.ofHours(1)), PRACTITIONER);
    }
}
