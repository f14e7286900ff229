package org.stillpoint.audit.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.access.EventDelivered;
import org.stillpoint.platform.axon.EventJson;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event of a client delivered to the organisation's integrator by webhook is a disclosure of the client's record:
 * in the accounting, to the integrator's webhook, with the type of what went; two to the same webhook are one
 * recipient in the summary.
 */
class DisclosuresTest {

    private static final ObjectMapper JSON = EventJson.newMapper();
    private static final ClientId CLIENT = ClientId.random();
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aDeliveryToAnIntegratorIsADisclosureToItsWebhook() throws Exception {
        List<AuditEntry> entries = List.of(delivered("e-1", "stillpoint.session.recorded.v1", AT),
                                           delivered("e-2", "stillpoint.session.note-signed.v1", AT.plusSeconds(60)));
        ClientHistory.DisclosuresView view = new ClientHistory(
                new AuditClient(CLIENT.toString(), "stillwater", "harbour-street", null, null), entries, JSON)
                .disclosures(AT.plusSeconds(3600));

        assertThat(view.disclosures()).hasSize(2);
        ClientHistory.DisclosureView latest = view.disclosures().getFirst();
        assertThat(latest.recipient()).isEqualTo(new ClientHistory.RecipientView("INTEGRATOR", "billing",
                                                                                 "hooks.example.org"));
        assertThat(latest.shared()).containsExactly("stillpoint.session.note-signed.v1");
        assertThat(latest.status()).isEqualTo("DELIVERED");
        assertThat(latest.referralId()).isNull();
        assertThat(view.byRecipient()).singleElement().satisfies(r -> {
            assertThat(r.recipient()).isEqualTo("billing, hooks.example.org");
            assertThat(r.count()).isEqualTo(2);
        });
    }

    private static AuditEntry delivered(String id, String type, Instant at) throws Exception {
        EventDelivered event = new EventDelivered(CLIENT, OrganisationId.of("stillwater"), "sub-1", "billing",
                                                  "hooks.example.org", "msg_1_" + id, id, type, 1, false, at);
        return new AuditEntry(id, CLIENT.toString(), PublishedTypes.typeOf(EventDelivered.class), "access",
                              "delivery-service", at, at, "webhook/billing", null, id, List.of(), "delivered", "ALLOWED",
                              JSON.writeValueAsString(event));
    }
}
