package org.stillpoint.bench;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.Grantor;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.platform.axon.EventTypeRevisionResolver;
import org.stillpoint.platform.record.RecordSigner;
import org.stillpoint.platform.record.SigningKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Events as the services store them: real contract payloads with sealed fields, Jackson-serialized. */
final class Fixtures {

    static final String AGGREGATE_TYPE = "Client";
    private static final String CIPHERTEXT = Base64.getEncoder().encodeToString(new byte[96]);

    private Fixtures() {
    }

    static RecordSigner signer() {
        return new RecordSigner(SigningKey.generate("bench"), List.of());
    }

    static Serializer serializer() {
        return JacksonSerializer.builder()
                                .objectMapper(EventJson.newMapper())
                                .revisionResolver(new EventTypeRevisionResolver())
                                .build();
    }

    static ConsentGranted granted(String clientId) {
        Instant now = Instant.now();
        ClientId client = ClientId.of(clientId);
        return new ConsentGranted(client, ConsentId.random(), ClinicId.of("harbour-street"),
                                  Set.of(ConsentScope.CRANIOSACRAL_THERAPY, ConsentScope.SOMATOEMOTIONAL_RELEASE),
                                  new ConsentForm("cst-ser-intake", "2026-09", "ab".repeat(32)), ConsentMethod.WRITTEN,
                                  new Grantor(GrantorKind.CLIENT, null, null), null,
                                  new Sealed("client/" + clientId + "/1", CIPHERTEXT), now, null, now,
                                  new Actor("practitioner-7"), false, null);
    }

    static ClientRegistered registered(String clientId) {
        return new ClientRegistered(ClientId.of(clientId), OrganisationId.of("stillwater"), ClinicId.of("harbour-street"),
                                    new Sealed("client/" + clientId + "/1", CIPHERTEXT), Instant.now(),
                                    new Actor("practitioner-7"));
    }

    /** A client's first two events, as consent-service stores them: registered, then consent granted. */
    static List<DomainEventMessage<?>> client(String clientId) {
        return List.of(new GenericDomainEventMessage<>(AGGREGATE_TYPE, clientId, 0, registered(clientId)),
                       new GenericDomainEventMessage<>(AGGREGATE_TYPE, clientId, 1, granted(clientId)));
    }

    /** The events of one command: {@code count} events of one aggregate from {@code firstSequence} on. */
    static List<DomainEventMessage<?>> command(String aggregateId, long firstSequence, int count) {
        List<DomainEventMessage<?>> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregateId, firstSequence + i,
                                                       granted(aggregateId)));
        }
        return events;
    }

    /** The body of a registration over consent-service's API, as the benches send it. */
    static final String REGISTRATION = """
            {"organisationId":"stillwater","clinicId":"harbour-street","givenName":"Bench","familyName":"Client",
             "dateOfBirth":"1980-01-01"}""";
    private static final Pattern CLIENT_ID = Pattern.compile("\"clientId\":\"([^\"]+)\"");

    /** The client id in an answer of consent-service, if it names one. */
    static Optional<String> clientIdIn(String body) {
        Matcher matcher = CLIENT_ID.matcher(body);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    static String newAggregateId() {
        return UUID.randomUUID().toString();
    }

    /** What a snapshot of a client holds, about the size of the real one. */
    record ClientSnapshot(String clientId, String clinicId, Sealed personalDetails, List<String> consentIds) {
    }

    static ClientSnapshot snapshot(String aggregateId) {
        return new ClientSnapshot(aggregateId, "harbour-street", new Sealed("client/" + aggregateId + "/1", CIPHERTEXT),
                                  List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString()));
    }
}
