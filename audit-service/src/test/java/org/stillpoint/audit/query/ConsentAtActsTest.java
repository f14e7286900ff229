package org.stillpoint.audit.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ClientTransferred;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.Grantor;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.contracts.session.Modality;
import org.stillpoint.contracts.session.SessionNotes;
import org.stillpoint.contracts.session.SessionRecorded;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.testsupport.InMemoryStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consent as it stood at each act: a session on the 1st recorded on time, a withdrawal on the 3rd, a late entry on the
 * 5th about the 2nd — in force at its moment, not when recorded: on the review list — and a session recorded on the
 * 4th about the 4th, refused by nobody's rule here but named as not in force at either moment. A withdrawal entered
 * late about a time before an act already recorded moves that act onto the list.
 */
class ConsentAtActsTest {

    private static final ObjectMapper JSON = EventJson.newMapper();
    private static final Instant DAY1 = Instant.parse("2026-11-01T10:00:00Z");
    private static final ClientId CLIENT = ClientId.random();
    private static final ClinicId HARBOUR = ClinicId.of("harbour-street");
    private static final Sealed SEALED = new Sealed("client/" + CLIENT + "/1", "c2VhbGVk");
    private static final Actor PAT = new Actor("pat");
    private static final ConsentId CONSENT = ConsentId.random();

    private final List<AuditEntry> entries = new ArrayList<>();

    @Test
    void aLateEntryRecordedAfterAWithdrawalAboutATimeBeforeItDiffers() {
        grant(DAY1.minus(Duration.ofDays(1)));
        String onTime = session(DAY1, DAY1.plus(Duration.ofHours(1)));
        withdraw(day(3), day(3));
        String late = session(day(2), day(5));
        String afterwards = session(day(4), day(4).plus(Duration.ofHours(1)));

        List<ConsentAtActs.Act> acts = ConsentAtActs.of(entries, e -> ClientHistory.event(JSON, e));

        ConsentAtActs.Act first = act(acts, onTime);
        assertThat(first.inForceAtTheAct()).isTrue();
        assertThat(first.inForceWhenRecorded()).isTrue();
        assertThat(first.differ()).isFalse();
        ConsentAtActs.Reliance relied = first.consents().getFirst();
        assertThat(relied.formId()).isEqualTo("cst-ser-intake");
        assertThat(relied.textSha256()).isEqualTo("ab".repeat(32));
        assertThat(relied.method()).isEqualTo("WRITTEN");
        assertThat(relied.grantor()).isEqualTo("CLIENT");
        assertThat(relied.boundariesRecorded()).isTrue();
        assertThat(relied.versionAtTheAct()).isEqualTo(1);

        ConsentAtActs.Act lateEntry = act(acts, late);
        assertThat(lateEntry.lateEntry()).isTrue();
        assertThat(lateEntry.inForceAtTheAct()).as("the 2nd, before the withdrawal").isTrue();
        assertThat(lateEntry.inForceWhenRecorded()).as("the 5th, after it").isFalse();
        assertThat(lateEntry.differ()).isTrue();
        assertThat(act(acts, afterwards).differ()).as("not in force at either moment: the same verdict").isFalse();
        assertThat(act(acts, afterwards).inForceAtTheAct()).isFalse();
    }

    @Test
    void aWithdrawalEnteredLateAboutATimeBeforeAnActPutsTheActOnTheOrganisationsList() {
        MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "divergences-" + UUID.randomUUID());
        mongo.save(new AuditClient(CLIENT.toString(), "stillwater", HARBOUR.toString(), null, null));
        ConsentDivergences divergences = new ConsentDivergences(mongo, JSON);
        grant(DAY1.minus(Duration.ofDays(1)));
        String recorded = session(day(3), day(3).plus(Duration.ofMinutes(5)));
        entries.forEach(mongo::save);
        divergences.recompute(CLIENT.toString(), entries.getLast());
        assertThat(divergences.of("stillwater")).isEmpty();

        // entered on the 6th: the client had withdrawn on the 2nd
        withdraw(day(2), day(6));
        entries.forEach(mongo::save);
        divergences.recompute(CLIENT.toString(), entries.getLast());

        assertThat(divergences.of("stillwater")).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo(recorded);
            assertThat(d.inForceAtTheAct()).isFalse();
            assertThat(d.inForceWhenRecorded()).isTrue();
            assertThat(d.consents()).containsExactly(CONSENT + " v1");
        });
        assertThat(divergences.of("riverside")).isEmpty();

        // a late entry after the withdrawal, about a time before it: that act alone is weighed, against the consents
        String late = session(day(1).plus(Duration.ofHours(3)), day(7));
        mongo.save(entries.getLast());
        divergences.recompute(CLIENT.toString(), entries.getLast());
        assertThat(divergences.of("stillwater")).extracting(ConsentDivergences.Divergence::eventId)
                                                .containsExactlyInAnyOrder(recorded, late);
    }

    @Test
    void aConsentCarriedOverByATransferCoversTheNewClinicFromTheTransferOnAndNoOtherDoes() {
        ClinicId mill = ClinicId.of("mill-lane");
        grant(DAY1.minus(Duration.ofDays(1)));
        // at the old clinic, before the move: covered there
        String before = session(day(2), day(2).plus(Duration.ofHours(1)));
        add(new ClientTransferred(CLIENT, org.stillpoint.contracts.OrganisationId.of("stillwater"), HARBOUR, mill,
                                  List.of(CONSENT), SEALED, day(3), PAT), "consent", day(3), day(3));
        String atMill = sessionAt(mill, day(4), day(4).plus(Duration.ofHours(1)));
        String atMillBeforeTheMove = sessionAt(mill, day(2).plus(Duration.ofHours(3)), day(5));

        List<ConsentAtActs.Act> acts = ConsentAtActs.of(entries, e -> ClientHistory.event(JSON, e));

        assertThat(act(acts, before).inForceAtTheAct()).isTrue();
        assertThat(act(acts, atMill).inForceAtTheAct()).as("carried over to Mill Lane on the 3rd").isTrue();
        assertThat(act(acts, atMillBeforeTheMove).inForceAtTheAct()).as("at Mill Lane before it was carried there")
                                                                     .isFalse();
    }

    @Test
    void aConsentNotCarriedOverDoesNotCoverTheNewClinic() {
        ClinicId mill = ClinicId.of("mill-lane");
        grant(DAY1.minus(Duration.ofDays(1)));
        add(new ClientTransferred(CLIENT, org.stillpoint.contracts.OrganisationId.of("stillwater"), HARBOUR, mill,
                                  List.of(), SEALED, day(3), PAT), "consent", day(3), day(3));
        String atMill = sessionAt(mill, day(4), day(4).plus(Duration.ofHours(1)));

        assertThat(act(ConsentAtActs.of(entries, e -> ClientHistory.event(JSON, e)), atMill).inForceAtTheAct())
                .as("the consent stayed Harbour Street's").isFalse();
    }

    private static Instant day(int n) {
        return DAY1.plus(Duration.ofDays(n - 1));
    }

    private void grant(Instant at) {
        add(new ConsentGranted(CLIENT, CONSENT, HARBOUR, Set.of(ConsentScope.CRANIOSACRAL_THERAPY),
                               new ConsentForm("cst-ser-intake", "2026-09", "ab".repeat(32)), ConsentMethod.WRITTEN,
                               new Grantor(GrantorKind.CLIENT, null, null), null, SEALED, at, null, at, PAT, false,
                               null), "consent", at, at);
    }

    private void withdraw(Instant at, Instant recorded) {
        add(new ConsentWithdrawn(CLIENT, CONSENT, Set.of(ConsentScope.CRANIOSACRAL_THERAPY), Set.of(), SEALED, at, PAT),
            "consent", at, recorded);
    }

    private String session(Instant startedAt, Instant recorded) {
        return sessionAt(HARBOUR, startedAt, recorded);
    }

    private String sessionAt(ClinicId clinic, Instant startedAt, Instant recorded) {
        boolean late = Duration.between(startedAt, recorded).compareTo(Duration.ofHours(24)) > 0;
        return add(new SessionRecorded(CLIENT, SessionId.random(), clinic, PAT, startedAt, 50,
                                       Set.of(Modality.CRANIOSACRAL_THERAPY), new SessionNotes(SEALED, null, null, null,
                                                                                               null, null),
                                       List.of(new ConsentReliance(CONSENT, 1, Set.of(ConsentScope.CRANIOSACRAL_THERAPY))),
                                       1, late, recorded, PAT, late ? SEALED : null), "session", startedAt, recorded);
    }

    private String add(Object event, String kind, Instant occurred, Instant recorded) {
        String id = UUID.randomUUID().toString();
        try {
            entries.add(new AuditEntry(id, CLIENT.toString(), PublishedTypes.typeOf(event.getClass()), kind,
                                       kind + "-service", occurred, recorded, "pat", HARBOUR.toString(), null,
                                       List.of(), event.getClass().getSimpleName(), null,
                                       JSON.writeValueAsString(event)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    private static ConsentAtActs.Act act(List<ConsentAtActs.Act> acts, String eventId) {
        return acts.stream().filter(a -> a.eventId().equals(eventId)).findFirst().orElseThrow();
    }
}
