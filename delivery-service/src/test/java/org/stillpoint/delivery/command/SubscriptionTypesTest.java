package org.stillpoint.delivery.command;

import org.junit.jupiter.api.Test;
import org.stillpoint.platform.problem.Refusal;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which event types a subscription may ask for, and which records it then delivers. */
class SubscriptionTypesTest {

    @Test
    void typesOnTheOrganisationTopicsAndServiceWildcardsAreTaken() {
        assertThat(Subscriptions.types(List.of("stillpoint.session.*", "stillpoint.referral.issued.v2",
                                               "stillpoint.session.*")))
                .containsExactly("stillpoint.session.*", "stillpoint.referral.issued.v2");
    }

    @Test
    void typesKeptOffTheOrganisationTopicsUnknownTypesAndEmptyListsAreRefusedNamingTheEntry() {
        for (List<String> types : List.of(List.of("stillpoint.session.*", "stillpoint.access.records-listed.v1"),
                                          List.of("stillpoint.session.*", "stillpoint.access.event-delivered.v1"),
                                          List.of("stillpoint.session.*", "stillpoint.nothing.*"),
                                          List.of("stillpoint.session.*", "*"))) {
            assertThatThrownBy(() -> Subscriptions.types(types)).isInstanceOfSatisfying(Refusal.class, r -> {
                assertThat(r.code()).isEqualTo("event-type-unknown");
                assertThat(r.field()).isEqualTo("eventTypes[1]");
            });
        }
        assertThatThrownBy(() -> Subscriptions.types(List.of())).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> Subscriptions.types(Arrays.asList(new String[51]))).isInstanceOf(Refusal.class);
    }

    @Test
    void aSubscriptionWantsItsTypesAndReadsItsServicesTopics() {
        Subscription subscription = new Subscription("s", "stillwater", "billing", "https://x.example.org/h", null,
                                                     List.of("stillpoint.session.*", "stillpoint.consent.granted.v1"),
                                                     Subscription.Status.ACTIVE, null, null, null, null, null, 0);
        assertThat(subscription.wants("stillpoint.session.note-signed.v1")).isTrue();
        assertThat(subscription.wants("stillpoint.consent.granted.v1")).isTrue();
        assertThat(subscription.wants("stillpoint.consent.withdrawn.v1")).isFalse();
        assertThat(subscription.wants("stillpoint.sessionx.recorded.v1")).isFalse();
        assertThat(Subscriptions.topics(subscription))
                .containsExactly("stillpoint.consent.v1.stillwater", "stillpoint.session.v1.stillwater");
    }

    @Test
    void anEndpointIsShownWithoutItsQuery() {
        assertThat(Subscriptions.shown(URI.create("https://billing.example.org:8443/hooks/in?token=secret")))
                .isEqualTo("https://billing.example.org:8443/hooks/in");
    }
}
