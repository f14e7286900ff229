package org.stillpoint.audit.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.testsupport.InMemoryStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An investigation of one person across three clinics and 200 clients equals what the access events say: every client
 * they reached, what they read, refused or not, and the one client they read without any care relationship flagged.
 */
class InvestigationTest {

    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");
    private static final List<String> CLINICS = List.of("harbour-street", "mill-lane", "quay");

    private final MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "investigation-" + UUID.randomUUID());
    private final Investigation investigations = new Investigation(mongo, new ObjectMapper());
    private int events;

    @Test
    void anActorsAccessesAcrossThreeClinicsAreEveryClientTheyReachedWithTheOutOfCaseloadOneFlagged() {
        List<String> millLane = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String client = UUID.randomUUID().toString();
            String clinic = CLINICS.get(i % 3);
            mongo.save(new AuditClient(client, "stillwater", clinic, null, null));
            (clinic.equals("mill-lane") ? millLane : others).add(client);
        }
        // mo cares for mill-lane's clients: a session there in the window, and reads their sessions (one of them twice)
        Instant at = FROM.plus(Duration.ofDays(2));
        for (String client : millLane) {
            act(client, "session", "stillpoint.session.recorded.v1", "pat", "mill-lane", at);
            access(client, "mo", "session-service", "GET /api/clients/" + client + "/sessions", "ALLOWED", at.plusSeconds(60));
        }
        access(millLane.getFirst(), "mo", "audit-service", "GET /api/audit/clients/" + millLane.getFirst() + "/timeline",
               "ALLOWED", at.plusSeconds(120));
        // the planted access: a harbour-street client's details, no care relationship; and a refused try at quay
        String planted = others.stream().filter(c -> clinicOf(c).equals("harbour-street")).findFirst().orElseThrow();
        access(planted, "mo", "consent-service", "GET /api/clients/" + planted, "ALLOWED", at.plusSeconds(300));
        String tried = others.stream().filter(c -> clinicOf(c).equals("quay")).findFirst().orElseThrow();
        access(tried, "mo", "session-service", "GET /api/clients/" + tried + "/sessions", "DENIED", at.plusSeconds(360));
        // outside the window, another organisation's client, another actor: none of this investigation's
        access(others.get(5), "mo", "consent-service", "GET /api/clients/" + others.get(5), "ALLOWED", TO.plusSeconds(1));
        String elsewhere = UUID.randomUUID().toString();
        mongo.save(new AuditClient(elsewhere, "riverside", "harbour-street", null, null));
        access(elsewhere, "mo", "consent-service", "GET /api/clients/" + elsewhere, "ALLOWED", at);
        access(others.get(7), "pat", "consent-service", "GET /api/clients/" + others.get(7), "ALLOWED", at);
        // a search mo ran showed a mill-lane client and one quay client mo never opened: metadata, not a read
        String listedOnly = others.stream().filter(c -> clinicOf(c).equals("quay") && !c.equals(tried)).findFirst()
                                  .orElseThrow();
        mongo.save(new ClientList("list-1", "stillwater", "mo", at.plusSeconds(400), "client-search", "audit-service",
                                  List.of(millLane.get(1), listedOnly)));
        mongo.save(new ClientList("list-2", "riverside", "mo", at.plusSeconds(400), "client-search", "audit-service",
                                  List.of(elsewhere)));

        Investigation.Report report = investigations.of("stillwater", "mo", FROM, TO);

        assertThat(report.clientsAffected()).isEqualTo(millLane.size() + 3);
        assertThat(report.accesses()).isEqualTo(millLane.size() + 1 + 2 + 1);
        assertThat(report.clients()).extracting(Investigation.ClientFinding::clientId)
                                    .containsExactlyInAnyOrderElementsOf(concat(millLane, List.of(planted, tried,
                                                                                                  listedOnly)));
        assertThat(report.outsideCaseload()).as("a client a list only showed is not read")
                                            .containsExactlyInAnyOrder(planted, tried);
        assertThat(finding(report, listedOnly).listed()).isEqualTo(1);
        assertThat(finding(report, listedOnly).categories()).containsExactly("lists");
        assertThat(finding(report, millLane.get(1)).categories()).containsExactly("lists", "sessions");
        assertThat(report.byClinic()).containsEntry("mill-lane", millLane.size()).containsEntry("harbour-street", 1)
                                     .containsEntry("quay", 2);
        assertThat(report.byCategory()).containsEntry("sessions", millLane.size()).containsEntry("details", 1)
                                       .containsEntry("audit", 1);
        Investigation.ClientFinding first = finding(report, millLane.getFirst());
        assertThat(first.categories()).containsExactly("audit", "sessions");
        assertThat(first.clearTextServed()).isTrue();
        assertThat(first.careRelationship()).isTrue();
        Investigation.ClientFinding refused = finding(report, tried);
        assertThat(refused.refused()).isEqualTo(1);
        assertThat(refused.allowed()).isZero();
        assertThat(refused.clearTextServed()).isFalse();
        assertThat(refused.categories()).isEmpty();
    }

    private static Investigation.ClientFinding finding(Investigation.Report report, String client) {
        return report.clients().stream().filter(c -> c.clientId().equals(client)).findFirst().orElseThrow();
    }

    private String clinicOf(String client) {
        return mongo.findById(client, AuditClient.class).clinicId();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private void act(String client, String kind, String type, String actor, String clinic, Instant at) {
        mongo.save(new AuditEntry("e" + events++, client, type, kind, "session-service", at, at, actor, clinic,
                                  UUID.randomUUID().toString(), List.of(), kind + " recorded", null, "{}"));
    }

    private void access(String client, String actor, String service, String resource, String outcome, Instant at) {
        String payload = """
                {"actorClinics":["mill-lane"],"resource":"%s","outcome":"%s"}""".formatted(resource, outcome);
        mongo.save(new AuditEntry("e" + events++, client, "stillpoint.access.client-accessed.v1", "access", service, at,
                                  at, actor, "mill-lane", null, List.of(), "an access", outcome, payload));
    }
}
