package org.stillpoint.consent.it;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.stillpoint.consent.query.ClientConsentsProjection;
import org.stillpoint.platform.command.ProjectionRebuild;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The consent read model is a pure function of the events: replaying them, once or twice, changes no document. */
class ProjectionReplayIT extends OnBackends {

    @Autowired
    EventStore eventStore;
    @Autowired
    ClientConsentsProjection projection;
    @Autowired
    ApplicationContext context;

    @Test
    void deliveringEveryEventAgainChangesNoDocument() throws Exception {
        someHistory();
        List<Document> before = readModel();

        AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(projection);
        for (int round = 0; round < 2; round++) {
            try (BlockingStream<TrackedEventMessage<?>> events = eventStore.openStream(null)) {
                while (events.hasNextAvailable(1, TimeUnit.SECONDS)) {
                    TrackedEventMessage<?> event = events.nextAvailable();
                    DefaultUnitOfWork.startAndGet(event).executeWithResult(() -> handlers.handle(event));
                }
            }
            assertThat(readModel()).isEqualTo(before);
        }
    }

    @Test
    void rebuildingFromTheStartTwiceGivesTheSameDocuments() {
        someHistory();
        ProjectionRebuild.of(context).assertRebuildsIdentically(ClientConsentsProjection.PROCESSOR,
                                                                database.getCollection("client_consents"),
                                                                database.getCollection("consent_expiries"));
    }

    private void someHistory() {
        Http http = new Http(port).withToken(TestIssuer.shared().practitioner());
        for (int i = 0; i < 3; i++) {
            String clientId = Clients.register(http, "Ari" + i, "Vance", "1988-08-1" + i);
            String consentId = Clients.grant(http, clientId, "[\"CRANIOSACRAL_THERAPY\",\"SOMATOEMOTIONAL_RELEASE\"]",
                                             Instant.now().plus(Duration.ofDays(30)).toString());
            Http.Response withdrawn = http.post("/api/clients/" + clientId + "/consents/" + consentId + "/withdrawals",
                                                "{\"scopes\":[\"SOMATOEMOTIONAL_RELEASE\"],\"reason\":\"r" + i + "\"}");
            assertThat(withdrawn.status()).isEqualTo(201);
            Clients.grant(http, clientId, "[\"INFORMATION_SHARING\"]", null);
        }
    }

    private List<Document> readModel() {
        List<Document> documents = new ArrayList<>();
        for (String collection : List.of("client_consents", "consent_expiries")) {
            database.getCollection(collection).find().sort(new Document("_id", 1)).into(documents);
        }
        return documents;
    }
}
