package org.stillpoint.platform.access;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.access.AccessOutcome;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.access.RecordsListed;
import org.stillpoint.platform.metrics.CommandStages;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may touch which client's record, and what the access log says of it: the rules, one by one. */
class ClientAccessTest {

    private static final OrganisationId STILLWATER = OrganisationId.of("stillwater");
    private static final ClinicId HARBOUR = ClinicId.of("harbour-street");
    private final ClientId robin = ClientId.random();
    private final ClientId erased = ClientId.random();
    private final Set<String> held = new HashSet<>();
    private final List<ClientAccessed> log = new ArrayList<>();
    private final List<RecordsListed> lists = new ArrayList<>();
    /** The stored view; a directory lookup that would wait for the broker fails, as with the broker away. */
    private final ClientDirectory directory = new ClientDirectory() {
        private final Map<ClientId, ClientPlacement> stored = Map.of(
                robin, new ClientPlacement(robin, STILLWATER, HARBOUR, null),
                erased, new ClientPlacement(erased, STILLWATER, HARBOUR, Instant.parse("2026-12-01T10:00:00Z")));

        @Override
        public Optional<ClientPlacement> find(ClientId clientId) {
            throw Refusal.retryLater("consent-view-behind", null, "the broker is away");
        }

        @Override
        public Optional<ClientPlacement> known(ClientId clientId) {
            return Optional.ofNullable(stored.get(clientId));
        }
    };
    private final ClientAccess access;

    ClientAccessTest() {
        SimpleEventBus bus = SimpleEventBus.builder().build();
        bus.subscribe(events -> events.stream().map(EventMessage::getPayload)
                                      .forEach(p -> {
                                          if (p instanceof RecordsListed listed) {
                                              lists.add(listed);
                                          } else {
                                              log.add((ClientAccessed) p);
                                          }
                                      }));
        access = new ClientAccess(directory, DefaultEventGateway.builder().eventBus(bus).build(), "test-service",
                                  Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC), held::contains,
                                  false, CommandStages.unread(), (organisation, clinic, field) -> {
                                      if (clinic.toString().equals("closed-lane")) {
                                          throw Refusal.unprocessable("clinic-closed", field, "closed");
                                      }
                                  });
    }

    @Test
    void registeringAtAClosedClinicIsRefusedNamingTheClinicField() {
        Caller practitioner = caller("org-a", List.of("closed-lane"), Role.PRACTITIONER);
        assertThatThrownBy(() -> access.register(practitioner, ClinicId.of("closed-lane")))
                .isInstanceOfSatisfying(Refusal.class, refusal -> {
                    assertThat(refusal.code()).isEqualTo("clinic-closed");
                    assertThat(refusal.field()).isEqualTo("clinicId");
                });
        access.register(caller("org-a", List.of("open-lane"), Role.PRACTITIONER), ClinicId.of("open-lane"));
    }

    private static Caller caller(String organisation, List<String> clinics, Role role) {
        return new Caller("someone", OrganisationId.of(organisation), clinics.stream().map(ClinicId::of)
                                                                             .collect(java.util.stream.Collectors.toSet()),
                          Set.of(role));
    }

    @Test
    void aReadDecidesOnTheStoredViewWithoutTheBrokerAndIsLogged() {
        assertThat(access.read(caller("stillwater", List.of("harbour-street"), Role.PRACTITIONER), robin).clinicId())
                .isEqualTo(HARBOUR);
        assertThat(log).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo(AccessOutcome.ALLOWED));
        assertThat(access.listed(caller("stillwater", List.of("mill-lane"), Role.CLINIC_ADMIN), "open-referrals",
                                 List.of(robin, erased))).as("another clinic's clients are left out").isEmpty();
        assertThat(access.listed(caller("stillwater", List.of("harbour-street"), Role.CLINIC_ADMIN), "open-referrals",
                                 List.of(robin, robin, erased))).containsExactly(robin, erased);
        // a list is one access naming what it showed, not a read of each client
        assertThat(log).hasSize(1);
        assertThat(lists).hasSize(2).last().satisfies(l -> {
            assertThat(l.list()).isEqualTo("open-referrals");
            assertThat(l.clients()).containsExactly(robin, erased);
            assertThat(l.organisationId()).isEqualTo(STILLWATER);
            assertThat(l.clientId()).isNull();
        });
    }

    @Test
    void anotherClinicIsRefusedAndAnotherOrganisationCannotTellTheClientExists() {
        assertThatThrownBy(() -> access.read(caller("stillwater", List.of("mill-lane"), Role.PRACTITIONER), robin))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.code()).isEqualTo("client-of-another-clinic"));
        assertThatThrownBy(() -> access.read(caller("riverside", List.of("harbour-street"), Role.PRACTITIONER), robin))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.NOT_FOUND));
        assertThat(log).extracting(ClientAccessed::outcome).containsExactly(AccessOutcome.DENIED, AccessOutcome.DENIED);
        assertThat(log).extracting(ClientAccessed::reason).containsExactly("other-clinic", "other-organisation");
    }

    @Test
    void aComplianceOfficerReadsAcrossTheOrganisationAndAnIntegratorReadsNoRecord() {
        assertThat(access.read(caller("stillwater", List.of(), Role.COMPLIANCE_OFFICER), robin)).isNotNull();
        assertThatThrownBy(() -> access.read(caller("stillwater", List.of("harbour-street"), Role.INTEGRATOR), robin))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.code()).isEqualTo("role-not-allowed"));
    }

    @Test
    void anErasedRecordIsGoneAndAHeldOneIsNotShownIncomplete() {
        Caller pat = caller("stillwater", List.of("harbour-street"), Role.PRACTITIONER);
        assertThatThrownBy(() -> access.read(pat, erased))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.GONE));
        // logged as asked for, and answered with nothing: neither allowed nor refused
        assertThat(log).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AccessOutcome.GONE);
            assertThat(e.reason()).isNull();
        });
        held.add(robin.toString());
        assertThatThrownBy(() -> access.read(pat, robin))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.code()).isEqualTo("client-record-held"));
    }

    @Test
    void aReplayPassesTheActsRulesAndAnErasedClientIsGone() {
        access.replay(caller("stillwater", List.of("harbour-street"), Role.PRACTITIONER), robin);
        assertThatThrownBy(() -> access.replay(caller("stillwater", List.of("mill-lane"), Role.PRACTITIONER), robin))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.code()).isEqualTo("client-of-another-clinic"));
        assertThatThrownBy(() -> access.replay(caller("riverside", List.of("harbour-street"), Role.PRACTITIONER), robin))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.NOT_FOUND));
        assertThatThrownBy(() -> access.replay(caller("stillwater", List.of("harbour-street"), Role.PRACTITIONER), erased))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.GONE));
        Caller robinHimself = new Caller("robin", STILLWATER, Set.of(), Set.of(Role.CLIENT), robin);
        access.replay(robinHimself, robin);
        assertThatThrownBy(() -> access.replay(robinHimself, erased))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.NOT_FOUND));
    }
}
