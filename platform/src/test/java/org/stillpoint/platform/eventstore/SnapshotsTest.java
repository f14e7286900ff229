package org.stillpoint.platform.eventstore;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.InMemoryStore;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** An aggregate's latest snapshot, on its own: stored and read back; an older one never replaces a newer one. */
class SnapshotsTest {

    /** An aggregate's state. */
    record State(String text) {
    }

    private final Serializer serializer = JacksonSerializer.defaultSerializer();
    private final Snapshots snapshots = new Snapshots(InMemoryStore.client().getDatabase("snapshots-" + UUID.randomUUID()));

    @Test
    void theLatestSnapshotIsKeptAndAnOlderOneDoesNotReplaceIt() {
        snapshots.store(new GenericDomainEventMessage<>("Note", "a", 49, new State("at 49")), serializer);
        snapshots.store(new GenericDomainEventMessage<>("Note", "a", 99, new State("at 99")), serializer);
        snapshots.store(new GenericDomainEventMessage<>("Note", "a", 49, new State("at 49, late")), serializer);

        assertThat(snapshots.sequenceOf("a")).contains(99L);
        assertThat(snapshots.latest("a")).hasValueSatisfying(
                s -> assertThat(((State) serializer.deserialize(s.getPayload())).text()).isEqualTo("at 99"));
        assertThat(snapshots.latest("b")).isEmpty();
        assertThat(snapshots.sequenceOf("b")).isEmpty();
    }
}
