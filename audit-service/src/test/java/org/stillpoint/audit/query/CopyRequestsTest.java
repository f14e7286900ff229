package org.stillpoint.audit.query;

import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.CopyChannel;
import org.stillpoint.contracts.consent.CopyDownloaded;
import org.stillpoint.contracts.consent.CopyFormat;
import org.stillpoint.contracts.consent.CopyNotes;
import org.stillpoint.contracts.consent.CopyProduced;
import org.stillpoint.contracts.consent.CopyRequested;
import org.stillpoint.testsupport.InMemoryStore;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue of copies owed: soonest due first, overdue once past due, each once, closed by the client's erasure. */
class CopyRequestsTest {

    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final OrganisationId STILLWATER = OrganisationId.of("stillwater");
    private static final ClinicId HARBOUR = ClinicId.of("harbour-street");

    private final CopyRequests copies = new CopyRequests(new MongoTemplate(InMemoryStore.client(),
                                                                          "copies-" + UUID.randomUUID()));

    @Test
    void theQueueIsSoonestDueFirstWithTheOverdueMarkedAndAnErasureClosesTheClients() {
        ClientId robin = ClientId.random();
        ClientId sam = ClientId.random();
        CopyRequested robins = requested(robin, CopyChannel.CLIENT_VIEW, T0, T0.plus(Duration.ofDays(30)));
        copies.apply(robins);
        copies.apply(robins);
        copies.apply(requested(sam, CopyChannel.ON_PAPER, T0.minus(Duration.ofDays(2)), T0.plus(Duration.ofDays(28))));

        assertThat(copies.of("stillwater")).extracting(CopyRequests.Request::clientId)
                                           .containsExactly(sam.toString(), robin.toString());
        Instant late = T0.plus(Duration.ofDays(29));
        assertThat(copies.of("stillwater")).extracting(r -> r.overdue(late)).containsExactly(true, false);
        assertThat(copies.of("riverside")).isEmpty();

        copies.apply(new ClientErased(sam, UUID.randomUUID(), STILLWATER, HARBOUR, "GDPR Art. 17(1)(b)", null,
                                      new Sealed("k", "c2VhbGVk"), new Actor("cam"), new Actor("cole"), T0));
        assertThat(copies.of("stillwater").getFirst().status()).isEqualTo("ERASED");
        assertThat(copies.of("stillwater").getFirst().overdue(late)).as("nothing owed to an erased client").isFalse();
    }

    @Test
    void aProducedCopyAnswersTheRequestLateOrNotAndItsDownloadsCountDown() {
        ClientId robin = ClientId.random();
        CopyRequested asked = requested(robin, CopyChannel.CLIENT_VIEW, T0, T0.plus(Duration.ofDays(30)));
        copies.apply(asked);
        Instant producedAt = T0.plus(Duration.ofDays(31));
        copies.apply(new CopyProduced(robin, asked.requestId(), STILLWATER, HARBOUR, producedAt,
                                      producedAt.plus(Duration.ofDays(14)), 5, CopyNotes.WITHHELD, 12, "a".repeat(64),
                                      "b".repeat(64)));
        CopyRequests.Request answered = copies.of("stillwater").getFirst();
        assertThat(answered.status()).isEqualTo("PRODUCED");
        assertThat(answered.overdue(producedAt.plus(Duration.ofDays(1)))).as("answered, owed no more").isFalse();
        assertThat(answered.answeredLate()).isTrue();
        assertThat(answered.downloadsLeft()).isEqualTo(5);

        CopyDownloaded second = downloaded(robin, asked, 3);
        copies.apply(second);
        copies.apply(downloaded(robin, asked, 4));
        assertThat(copies.of("stillwater").getFirst().downloadsLeft()).as("an earlier download redelivered late")
                                                                      .isEqualTo(3);
    }

    private static CopyDownloaded downloaded(ClientId client, CopyRequested asked, int left) {
        return new CopyDownloaded(client, asked.requestId(), STILLWATER, HARBOUR, CopyFormat.DOCUMENT, T0,
                                  new Actor("client/" + client), left);
    }

    private static CopyRequested requested(ClientId client, CopyChannel channel, Instant received, Instant due) {
        return new CopyRequested(client, UUID.randomUUID(), STILLWATER, HARBOUR, channel, received, due, received,
                                 new Actor(channel == CopyChannel.CLIENT_VIEW ? "robin" : "cam"));
    }
}
