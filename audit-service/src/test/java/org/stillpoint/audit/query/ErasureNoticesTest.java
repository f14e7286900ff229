package org.stillpoint.audit.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.access.ErasureNoticeRecorded;
import org.stillpoint.contracts.access.NoticeOutcome;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.referral.InformationCategory;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.RecipientKind;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.Urgency;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.testsupport.InMemoryStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An erasure owes each recipient one notice, however many referrals went to them; a referral the audit reads only after
 * the erasure adds its recipient; closing a notice (its event read back, maybe twice) closes it once.
 */
class ErasureNoticesTest {

    private static final ObjectMapper JSON = EventJson.newMapper();
    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final ClientId CLIENT = ClientId.random();
    private static final OrganisationId STILLWATER = OrganisationId.of("stillwater");
    private static final ClinicId HARBOUR = ClinicId.of("harbour-street");
    private static final Sealed SEALED = new Sealed("client/" + CLIENT + "/1", "c2VhbGVk");

    private final MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "notices-" + UUID.randomUUID());
    private final ErasureNotices notices = new ErasureNotices(mongo, JSON);

    @Test
    void anErasureOwesEachRecipientOneNoticeAndEachIsClosedOnce() {
        referral("Dr. Amara Osei", "Harbour Medical Practice", 1);
        referral("Dr. Amara Osei", "Harbour Medical Practice ", 2);
        referral("Riverside Counselling", null, 3);
        ClientErased erased = new ClientErased(CLIENT, UUID.randomUUID(), STILLWATER, HARBOUR, "GDPR Art. 17(1)(b)",
                                               null, SEALED, new Actor("cam"), new Actor("cole"), T0.plus(Duration.ofDays(5)));
        AuditClient placed = new AuditClient(CLIENT.toString(), "stillwater", HARBOUR.toString(), erased.erasedAt(), null);
        notices.apply(erased, placed);
        notices.apply(erased, placed);

        List<ErasureNotices.Notice> owed = notices.ofOrganisation("stillwater");
        assertThat(owed).extracting(ErasureNotices.Notice::recipientName)
                        .containsExactlyInAnyOrder("Dr. Amara Osei", "Riverside Counselling");
        ErasureNotices.Notice osei = owed.stream().filter(n -> n.recipientName().startsWith("Dr.")).findFirst().orElseThrow();
        assertThat(osei.referrals()).hasSize(2);
        assertThat(osei.open()).isTrue();
        assertThat(osei.id()).startsWith(CLIENT + "/").doesNotContain("Osei");

        // a referral read only after the erasure (its topic was behind) adds its recipient
        ReferralIssued late = referral("Quay Physiotherapy", "Quay Clinic", 4);
        notices.apply(late, placed);
        assertThat(notices.ofClient(CLIENT.toString())).hasSize(3);

        ErasureNoticeRecorded closed = new ErasureNoticeRecorded(CLIENT, STILLWATER, osei.id(), RecipientKind.MEDICAL,
                                                                 osei.recipientName(), osei.recipientOrganisation(),
                                                                 osei.referrals(), NoticeOutcome.NOTIFIED_BY_LETTER,
                                                                 new Actor("cole"), T0.plus(Duration.ofDays(6)));
        notices.apply(closed, placed);
        assertThat(notices.close(osei.id(), NoticeOutcome.NOT_REQUIRED_IMPOSSIBLE.name(), T0.plus(Duration.ofDays(7)),
                                 "cole")).as("closed once").isFalse();
        assertThat(notices.of(osei.id()).orElseThrow().outcome()).isEqualTo("NOTIFIED_BY_LETTER");
        assertThat(ErasureNotices.words("NOTIFIED_BY_LETTER")).isEqualTo("told by letter");
        assertThat(notices.ofOrganisation("stillwater")).first().satisfies(n -> assertThat(n.open()).isTrue());
        assertThat(notices.ofOrganisation("riverside")).isEmpty();
    }

    private ReferralIssued referral(String name, String organisation, int minutes) {
        ReferralIssued issued = new ReferralIssued(CLIENT, ReferralId.random(), STILLWATER, HARBOUR,
                                                   new Recipient(RecipientKind.MEDICAL, name, organisation, SEALED),
                                                   Urgency.ROUTINE, SEALED, null, Set.of(InformationCategory.DEMOGRAPHICS),
                                                   List.of(), 2, false, null, false, T0.plus(Duration.ofMinutes(minutes)),
                                                   new Actor("pat"));
        try {
            mongo.save(new AuditEntry(UUID.randomUUID().toString(), CLIENT.toString(),
                                      PublishedTypes.typeOf(ReferralIssued.class), "referral", "referral-service",
                                      issued.issuedAt(), issued.issuedAt(), "pat", HARBOUR.toString(),
                                      issued.referralId().toString(), List.of(), "referral", null,
                                      JSON.writeValueAsString(issued)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return issued;
    }
}
