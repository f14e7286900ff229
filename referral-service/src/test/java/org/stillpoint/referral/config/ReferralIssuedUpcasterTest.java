package org.stillpoint.referral.config;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.platform.axon.EventTypeRevisionResolver;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.crypto.InMemoryDataKeys;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A stored revision-1 ReferralIssued, contact in clear, loads as revision 2 with the contact sealed. */
class ReferralIssuedUpcasterTest {

    private static final String CLIENT = "261909a9-5c26-43b3-86cb-be21bcb4f9a8";
    private static final String REVISION_1 = """
            {"clientId":"%s","referralId":"5e0c3a1b-7d2f-4c8e-9a6b-1f2e3d4c5b6a","organisationId":"stillwater",
             "clinicId":"harbour-street","recipient":{"kind":"MEDICAL","name":"Dr. Amara Osei",
             "organisation":"Harbour Medical Practice","contact":{"email":"a.osei@example.org","phone":"+44 20 7946 0001"}},
             "urgency":"ROUTINE","reason":{"key":"client/%s/1","ciphertext":"m3Nb7vC1xZ9lK5jH2gF8dS=="},
             "originatingSession":null,"sharedCategories":["DEMOGRAPHICS"],"consents":[],"consentViewSequence":3,
             "emergencyOverride":false,"justification":null,"reviewRequired":false,"issuedAt":"2026-11-24T11:05:00Z",
             "issuedBy":{"subject":"practitioner-7"}}
            """.formatted(CLIENT, CLIENT);

    private final FieldCipher cipher = new FieldCipher(new InMemoryDataKeys());
    private final Serializer serializer = JacksonSerializer.builder().objectMapper(EventJson.newMapper())
                                                           .revisionResolver(new EventTypeRevisionResolver()).build();
    private final ReferralIssuedUpcaster upcaster = new ReferralIssuedUpcaster(cipher, EventJson.newMapper());

    @Test
    void aRevisionOneEventLoadsAsRevisionTwoWithItsContactSealed() {
        GenericDomainEventEntry<String> stored = new GenericDomainEventEntry<>(
                "Referral", "5e0c3a1b-7d2f-4c8e-9a6b-1f2e3d4c5b6a", 0, "e-1", Instant.parse("2026-11-24T11:05:00Z"),
                ReferralIssued.class.getName(), "1", REVISION_1, "{}");
        List<? extends DomainEventMessage<?>> loaded = EventStreamUtils.upcastAndDeserializeDomainEvents(
                java.util.stream.Stream.of(stored), serializer, upcaster).asStream().toList();
        ReferralIssued event = (ReferralIssued) loaded.get(0).getPayload();
        assertThat(event.recipient().name()).isEqualTo("Dr. Amara Osei");
        assertThat(event.recipient().contact().ciphertext()).doesNotContain("osei", "7946");
        assertThat(cipher.of(event.clientId()).openJson(event.recipient().contact(), SealedFields.RECIPIENT_CONTACT, Recipient.Contact.class))
                .contains(new Recipient.Contact("a.osei@example.org", "+44 20 7946 0001"));
        assertThat(serializer.serialize(event, String.class).getType().getRevision()).isEqualTo("2");
    }

    @Test
    void aRevisionTwoEventIsLeftAsItIs() {
        String sealed = serializer.serialize(new ReferralIssued(
                null, null, null, null, new Recipient(null, "x", null, null), null, null, null, java.util.Set.of(),
                List.of(), 0, false, null, false, null, null), String.class).getData();
        GenericDomainEventEntry<String> stored = new GenericDomainEventEntry<>(
                "Referral", "r", 0, "e-2", Instant.now(), ReferralIssued.class.getName(), "2", sealed, "{}");
        ReferralIssued event = (ReferralIssued) EventStreamUtils.upcastAndDeserializeDomainEvents(
                java.util.stream.Stream.of(stored), serializer, upcaster).asStream().toList().get(0).getPayload();
        assertThat(event.recipient().contact()).isNull();
    }
}
