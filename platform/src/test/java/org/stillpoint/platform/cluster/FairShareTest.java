package org.stillpoint.platform.cluster;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** An instance's share of a processor's segments: the rule, as instances come and go. */
class FairShareTest {

    /** Never connected: only its collection handle is taken. */
    private final MongoClient unused = MongoClients.create("mongodb://127.0.0.1:1");
    private final AtomicInteger alive = new AtomicInteger(1);
    private final Instances instances = new Instances(unused.getDatabase("unused"), "self", Duration.ofSeconds(2),
                                                      Duration.ofSeconds(10), Clock.systemUTC()) {
        @Override
        public int live() {
            return alive.get();
        }
    };
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T12:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @AfterEach
    void close() {
        unused.close();
    }

    @Test
    void eachInstanceHoldsItsShareRoundedUpAndAtLeastOne() {
        TokenStore tokens = new InMemoryTokenStore();
        tokens.initializeTokenSegments("consents", 4);
        FairShare share = new FairShare(tokens, instances, clock, Duration.ofSeconds(30));
        assertThat(share.getMaxSegments("consents")).as("alone").isEqualTo(4);
        alive.set(2);
        assertThat(share.getMaxSegments("consents")).isEqualTo(2);
        alive.set(3);
        assertThat(share.getMaxSegments("consents")).as("ceil(4 / 3)").isEqualTo(2);
        alive.set(9);
        assertThat(share.getMaxSegments("consents")).as("more instances than segments").isEqualTo(1);
        alive.set(0);
        assertThat(share.getMaxSegments("consents")).as("before the first beat counts itself").isEqualTo(4);
    }

    @Test
    void aProcessorWithoutSegmentsYetIsNotHeldBackAndAStoreAwayKeepsTheLastCount() {
        AtomicInteger fetches = new AtomicInteger();
        AtomicReference<RuntimeException> failing = new AtomicReference<>();
        InMemoryTokenStore store = new InMemoryTokenStore();
        TokenStore tokens = new InMemoryTokenStore() {
            @Override
            public int[] fetchSegments(String processorName) {
                fetches.incrementAndGet();
                if (failing.get() != null) {
                    throw failing.get();
                }
                return store.fetchSegments(processorName);
            }
        };
        FairShare share = new FairShare(tokens, instances, clock, Duration.ofSeconds(30));
        assertThat(share.getMaxSegments("new")).as("no tokens yet: claim what there is").isEqualTo(Short.MAX_VALUE);
        store.initializeTokenSegments("sessions", 4);
        alive.set(2);
        assertThat(share.getMaxSegments("sessions")).isEqualTo(2);
        int read = fetches.get();
        assertThat(share.getMaxSegments("sessions")).isEqualTo(2);
        assertThat(fetches.get()).as("remembered, not read again").isEqualTo(read);
        now.set(now.get().plusSeconds(31));
        failing.set(new IllegalStateException("the store is away"));
        assertThat(share.getMaxSegments("sessions")).as("the last count stands").isEqualTo(2);
    }
}
