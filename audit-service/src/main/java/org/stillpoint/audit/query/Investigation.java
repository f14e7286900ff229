package org.stillpoint.audit.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An investigation that starts from a person (issue of a breach or a snooping complaint): every client of the
 * organisation whose record {@code actor} read or tried to read in a window, what of it (consents, sessions, referrals,
 * the client's details, audit data), allowed or refused, whether clear text was served or only metadata, and whether
 * the actor had a care relationship with the client in the window — a session, referral or consent recorded by them or
 * at one of the clinics they read from. Read from the audit's own index of entries by actor and time, then the
 * timelines of the clients found: no scan of the organisation's history.
 */
@Component
public final class Investigation {

    /** The services whose reads answer a client's record in clear (the audit holds none in clear). */
    private static final Set<String> CLEAR_TEXT_SERVICES = Set.of("consent-service", "session-service",
                                                                  "referral-service");

    /** One client the actor reached. */
    public record ClientFinding(String clientId, String clinicId, int allowed, int refused, int gone,
                                List<String> categories, boolean clearTextServed, boolean careRelationship,
                                Instant first, Instant last) {
    }

    /**
     * @param outsideCaseload the clients read without a care relationship in the window: the snooping signal
     * @param byClinic        clients reached, per the clinic they are registered at
     * @param byCategory      clients reached, per category of data read
     */
    public record Report(String organisationId, String actor, Instant from, Instant to, int clientsAffected,
                         int accesses, List<ClientFinding> clients, List<String> outsideCaseload,
                         Map<String, Integer> byClinic, Map<String, Integer> byCategory) {
    }

    private final MongoTemplate mongo;
    private final ObjectMapper json;

    public Investigation(MongoTemplate mongo, @Qualifier("stillpointEventJson") ObjectMapper json) {
        this.mongo = mongo;
        this.json = json;
    }

    /** The investigation of {@code actor}'s accesses to {@code organisationId}'s clients in [{@code from}, {@code to}). */
    public Report of(String organisationId, String actor, Instant from, Instant to) {
        List<AuditEntry> accesses = mongo.find(Query.query(Criteria.where("actor").is(actor)
                                                                   .and("occurredAt").gte(from).lt(to)
                                                                   .and("kind").is("access"))
                                                    .with(Sort.by("occurredAt", "_id")), AuditEntry.class);
        Map<String, List<AuditEntry>> byClient = new LinkedHashMap<>();
        accesses.forEach(e -> byClient.computeIfAbsent(e.clientId(), c -> new ArrayList<>()).add(e));
        List<ClientFinding> clients = new ArrayList<>();
        for (Map.Entry<String, List<AuditEntry>> client : byClient.entrySet()) {
            AuditClient placed = mongo.findById(client.getKey(), AuditClient.class);
            if (placed == null || !organisationId.equals(placed.organisationId())) {
                // another organisation's client: not this organisation's to investigate
                continue;
            }
            clients.add(finding(mongo, json, placed, actor, client.getValue(), from, to));
        }
        Map<String, Integer> byClinic = new TreeMap<>();
        Map<String, Integer> byCategory = new TreeMap<>();
        for (ClientFinding finding : clients) {
            byClinic.merge(finding.clinicId() == null ? "unknown" : finding.clinicId(), 1, Integer::sum);
            finding.categories().forEach(category -> byCategory.merge(category, 1, Integer::sum));
        }
        return new Report(organisationId, actor, from, to, clients.size(),
                          clients.stream().mapToInt(c -> c.allowed() + c.refused() + c.gone()).sum(), clients,
                          clients.stream().filter(c -> !c.careRelationship()).map(ClientFinding::clientId).toList(),
                          byClinic, byCategory);
    }

    private static ClientFinding finding(MongoTemplate mongo, ObjectMapper json, AuditClient client, String actor,
                                         List<AuditEntry> accesses, Instant from, Instant to) {
        int allowed = 0;
        int refused = 0;
        int gone = 0;
        boolean clear = false;
        Set<String> categories = new TreeSet<>();
        Set<String> actorClinics = new TreeSet<>();
        for (AuditEntry access : accesses) {
            JsonNode event = read(json, access.payload());
            event.path("actorClinics").forEach(clinic -> actorClinics.add(clinic.asText()));
            switch (access.outcome() == null ? "ALLOWED" : access.outcome()) {
                case "DENIED" -> refused++;
                case "GONE" -> gone++;
                default -> {
                    allowed++;
                    categories.add(category(event.path("resource").asText("")));
                    clear |= CLEAR_TEXT_SERVICES.contains(access.service());
                }
            }
        }
        // the care relationship: an act on the client's record in the window by the actor or at their clinics
        boolean care = mongo.exists(Query.query(Criteria.where("clientId").is(client.clientId())
                                                        .and("kind").in("consent", "session", "referral")
                                                        .and("occurredAt").gte(from).lt(to)
                                                        .orOperator(Criteria.where("actor").is(actor),
                                                                    Criteria.where("clinicId").in(actorClinics))),
                                    AuditEntry.class);
        return new ClientFinding(client.clientId(), client.clinicId(), allowed, refused, gone, List.copyOf(categories),
                                 clear, care, accesses.getFirst().occurredAt(), accesses.getLast().occurredAt());
    }

    /** The category of data a request read, from its path. */
    static String category(String resource) {
        String path = resource.contains(" ") ? resource.substring(resource.indexOf(' ') + 1) : resource;
        if (path.startsWith("/api/audit/") || path.startsWith("/console")) {
            return "audit";
        }
        for (String category : List.of("consents", "sessions", "referrals", "erasure-requests")) {
            if (path.contains("/" + category)) {
                return category;
            }
        }
        return "details";
    }

    private static JsonNode read(ObjectMapper json, String payload) {
        try {
            return json.readTree(payload);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }
}
