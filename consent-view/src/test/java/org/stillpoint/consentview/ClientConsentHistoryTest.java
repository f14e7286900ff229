package org.stillpoint.consentview;

import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ClientTransferred;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.Grantor;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.platform.consent.ConsentPeriod;
import org.stillpoint.platform.problem.Refusal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stillpoint.contracts.ConsentScope.CRANIOSACRAL_THERAPY;
import static org.stillpoint.contracts.ConsentScope.SOMATOEMOTIONAL_RELEASE;

class ClientConsentHistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final Actor ACTOR = new Actor("practitioner-1");

    private final ClientId client = ClientId.random();
    private final ConsentId consent = ConsentId.random();

    private ClientConsentHistory history() {
        ClientConsentHistory history = ClientConsentHistory.unknown(client.toString());
        history = history.apply(new ClientRegistered(client, OrganisationId.of("o"), ClinicId.of("north"),
                                                     new Sealed("k", "c"), T0, ACTOR), 0, "e0").orElseThrow();
        history = history.apply(new ConsentGranted(client, consent, ClinicId.of("north"),
                                                   Set.of(CRANIOSACRAL_THERAPY, SOMATOEMOTIONAL_RELEASE),
                                                   new ConsentForm("f", "1", "a".repeat(64)), ConsentMethod.WRITTEN,
                                                   new Grantor(GrantorKind.CLIENT, null, null), null, null, T0,
                                                   null, T0, ACTOR, false, null), 1, "e1").orElseThrow();
        return history.apply(new ConsentWithdrawn(client, consent, Set.of(SOMATOEMOTIONAL_RELEASE),
                                                  Set.of(CRANIOSACRAL_THERAPY), null, T0.plusSeconds(3600), ACTOR),
                             2, "e2").orElseThrow();
    }

    @Test
    void aTransferMovesTheClientAndOnlyTheConsentsCarriedOverCoverTheNewClinicFromThenOn() {
        ConsentId stayed = ConsentId.random();
        ClientConsentHistory history = history().apply(new ConsentGranted(
                client, stayed, ClinicId.of("north"), Set.of(SOMATOEMOTIONAL_RELEASE),
                new ConsentForm("f", "1", "a".repeat(64)), ConsentMethod.WRITTEN,
                new Grantor(GrantorKind.CLIENT, null, null), null, null, T0, null, T0, ACTOR, false, null),
                3, "e3").orElseThrow();
        Instant moved = T0.plusSeconds(7200);
        history = history.apply(new ClientTransferred(client, OrganisationId.of("o"), ClinicId.of("north"),
                                                      ClinicId.of("south"), List.of(consent), new Sealed("k", "r"),
                                                      moved, ACTOR), 4, "e4").orElseThrow();

        assertThat(history.clinicId()).isEqualTo("south");
        assertThat(history.coverage(Set.of(CRANIOSACRAL_THERAPY), "south", moved.plusSeconds(1)))
                .as("carried over").containsKey(CRANIOSACRAL_THERAPY);
        assertThat(history.coverage(Set.of(CRANIOSACRAL_THERAPY), "south", moved.minusSeconds(1)))
                .as("not at the new clinic before the move").isEmpty();
        assertThat(history.coverage(Set.of(SOMATOEMOTIONAL_RELEASE), "south", moved.plusSeconds(1)))
                .as("left behind").isEmpty();
        assertThat(history.coverage(Set.of(SOMATOEMOTIONAL_RELEASE), "north", moved.plusSeconds(1)))
                .as("still the old clinic's").containsKey(SOMATOEMOTIONAL_RELEASE);
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        ClientConsentHistory history = history();
        assertThat(history.apply(new ConsentWithdrawn(client, consent, Set.of(CRANIOSACRAL_THERAPY), Set.of(), null,
                                                      T0.plusSeconds(7200), ACTOR), 2, "e2")).isEmpty();
        assertThat(history.sequence()).isEqualTo(2);
    }

    @Test
    void coverageIsAnsweredForAnyMomentBeforeOrAfterAWithdrawal() {
        ClientConsentHistory history = history();
        Instant before = T0.plusSeconds(60);
        Instant after = T0.plusSeconds(7200);
        assertThat(history.coverage(Set.of(SOMATOEMOTIONAL_RELEASE), "north", before)).containsKey(SOMATOEMOTIONAL_RELEASE);
        assertThat(history.coverage(Set.of(SOMATOEMOTIONAL_RELEASE), "north", after)).isEmpty();
        assertThat(history.coverage(Set.of(CRANIOSACRAL_THERAPY), "north", after)).containsKey(CRANIOSACRAL_THERAPY);
        assertThat(history.coverage(Set.of(CRANIOSACRAL_THERAPY), "south", after)).isEmpty();
        assertThat(history.coverage(Set.of(CRANIOSACRAL_THERAPY), "north", T0.minusSeconds(1))).isEmpty();
    }

    @Test
    void theVersionReliedOnIsTheOneInForceAtThatMoment() {
        ConsentPeriod period = history().consents().getFirst();
        assertThat(period.versionAt(T0.plusSeconds(60))).isEqualTo(1);
        assertThat(period.versionAt(T0.plusSeconds(7200))).isEqualTo(2);
    }

    @Test
    void theDecisionNamesEveryMissingScopeInOrder() {
        ClientConsentHistory history = history();
        assertThatThrownBy(() -> ConsentGate.assess(history, client, ClinicId.of("north"),
                                                    Set.of(ConsentScope.VERBAL_PROCESSING, SOMATOEMOTIONAL_RELEASE,
                                                           CRANIOSACRAL_THERAPY),
                                                    T0.plusSeconds(7200)).required("modalities"))
                .isInstanceOfSatisfying(Refusal.class, refusal -> {
                    assertThat(refusal.code()).isEqualTo("consent-missing");
                    assertThat(refusal.properties().get("missingScopes"))
                            .isEqualTo(List.of(SOMATOEMOTIONAL_RELEASE, ConsentScope.VERBAL_PROCESSING));
                });
    }
}
