package org.stillpoint.platform.command;

import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.eventstore.AppendedPositions;
import org.stillpoint.platform.metrics.CommandStages;
import org.stillpoint.platform.problem.Refusal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/**
 * A write is answered as visible only when the projection shows it: the command is stored either way, and a projection
 * that is behind, holds the client, or cannot be asked makes the answer "stored, not yet visible" — never a read that
 * misses the write, and never an error for a write that was kept. Axon's own command bus runs the handlers.
 */
class ReadYourWritesTest {

    private static final String PROJECTION = "client-consents";
    private static final URI LOCATION = URI.create("/api/clients/robin");
    private static final long STORED_AT = 41;

    /** A command the handler stores at {@link #STORED_AT}, as the event storage engine records an append. */
    record Store(String what) {
    }

    /** A command about an aggregate that does not exist. */
    record Amend(String what) {
    }

    /** A command its aggregate refuses. */
    record Refused(String what) {
    }

    private final ClientId robin = ClientId.random();
    private final List<String> asked = new ArrayList<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile long handledUpTo = -1;
    private volatile boolean progressAway;
    private final Commands commands;

    ReadYourWritesTest() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(Store.class.getName(), message -> {
            AppendedPositions.ofCurrentUnitOfWork().appended(STORED_AT);
            return "stored " + ((Store) message.getPayload()).what();
        });
        bus.subscribe(Amend.class.getName(), message -> {
            throw new AggregateNotFoundException("robin", "no such aggregate");
        });
        bus.subscribe(Refused.class.getName(), message -> {
            throw Refusal.conflict("consent-missing", "scopes", "no consent covers it");
        });
        commands = new Commands(DefaultCommandGateway.builder().commandBus(bus).build());
    }

    private ReadYourWrites readYourWrites() {
        return new ReadYourWrites(commands, (projection, position, sequence, wait) -> {
            asked.add(projection + "@" + position + "/" + sequence);
            if (progressAway) {
                throw new IllegalStateException("the token store does not answer");
            }
            return handledUpTo >= position;
        }, (projection, clientId) -> held.contains(projection + "/" + clientId), Duration.ofMillis(50),
                                  CommandStages.unread());
    }

    @Test
    void aWriteTheProjectionShowsIsAnsweredWithItsResultAndPosition() {
        handledUpTo = STORED_AT;

        Accepted<String> accepted = readYourWrites().send(new Store("grant"), PROJECTION, robin, LOCATION, null);

        assertThat(accepted.result()).isEqualTo("stored grant");
        assertThat(accepted.position()).isEqualTo(STORED_AT);
        assertThat(asked).as("the wait is for the write's own position on the client's segment")
                         .containsExactly(PROJECTION + "@" + STORED_AT + "/" + robin);
    }

    @Test
    void aProjectionBehindTheWriteMakesItStoredNotYetVisible() {
        handledUpTo = STORED_AT - 1;

        assertThatThrownBy(() -> readYourWrites().send(new Store("grant"), PROJECTION, robin, LOCATION, null))
                .asInstanceOf(type(StoredNotYetVisible.class)).satisfies(answer -> {
                    assertThat(answer.location()).isEqualTo(LOCATION);
                    assertThat(answer.held()).isFalse();
                });
    }

    @Test
    void aProjectionHoldingTheClientMakesItStoredAndHeldEvenWhenItIsPastThePosition() {
        handledUpTo = STORED_AT + 10;
        held.add(PROJECTION + "/" + robin);

        assertThatThrownBy(() -> readYourWrites().send(new Store("grant"), PROJECTION, robin, LOCATION, null))
                .asInstanceOf(type(StoredNotYetVisible.class))
                .satisfies(answer -> assertThat(answer.held()).isTrue());
    }

    @Test
    void aProgressThatCannotBeToldIsStoredNotYetVisibleNotAnError() {
        progressAway = true;

        assertThatThrownBy(() -> readYourWrites().send(new Store("grant"), PROJECTION, robin, LOCATION, null))
                .isInstanceOf(StoredNotYetVisible.class);
    }

    @Test
    void aViewThatStillDoesNotShowTheWriteAfterTheWaitIsStoredNotYetVisibleNeverNotFound() {
        handledUpTo = STORED_AT;
        Write write = readYourWrites().write(new Store("grant"), PROJECTION, robin, LOCATION);

        assertThatThrownBy(() -> write.created(() -> {
            throw Refusal.notFound("client-not-found", "clientId", "no client robin");
        })).asInstanceOf(type(StoredNotYetVisible.class))
           .satisfies(answer -> assertThat(answer.location()).isEqualTo(LOCATION));
        assertThatThrownBy(() -> write.then(() -> {
            throw Refusal.gone("client-erased", "clientId", "erased");
        })).as("another refusal of the read is the read's answer").isInstanceOf(Refusal.class);
    }

    @Test
    void aMissingAggregateIsRefusedAsTheCallerSaysAndNothingIsAwaited() {
        assertThatThrownBy(() -> readYourWrites().send(new Amend("note"), PROJECTION, robin, LOCATION,
                                                       () -> Refusal.notFound("session-not-found", "sessionId", "none")))
                .asInstanceOf(type(Refusal.class))
                .satisfies(refusal -> assertThat(refusal.code()).isEqualTo("session-not-found"));
        assertThatThrownBy(() -> readYourWrites().send(new Amend("note"), PROJECTION, robin, LOCATION, null))
                .isInstanceOf(AggregateNotFoundException.class);
        assertThat(asked).isEmpty();
    }

    @Test
    void aRefusedCommandIsRefusedAsItsAggregateSaidAndNothingIsAwaited() {
        assertThatThrownBy(() -> readYourWrites().send(new Refused("grant"), PROJECTION, robin, LOCATION, null))
                .asInstanceOf(type(Refusal.class)).satisfies(refusal -> {
                    assertThat(refusal.kind()).isEqualTo(Refusal.Kind.CONFLICT);
                    assertThat(refusal.field()).isEqualTo("scopes");
                });
        assertThat(asked).isEmpty();
    }

    @Test
    void aCommandThatAppendsNothingIsVisibleAtOnce() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(Store.class.getName(), message -> "nothing to store");
        Commands quiet = new Commands(DefaultCommandGateway.builder().commandBus(bus).build());
        ReadYourWrites readYourWrites = new ReadYourWrites(quiet, (projection, position, sequence, wait) -> position < 0,
                                                           (projection, clientId) -> false, Duration.ofMillis(50),
                                                           CommandStages.unread());

        assertThat(readYourWrites.<String>send(new Store("x"), PROJECTION, robin, LOCATION, null).position()).isEqualTo(-1);
    }
}
