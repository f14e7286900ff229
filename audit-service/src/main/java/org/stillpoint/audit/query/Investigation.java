package org.stillpoint.audit.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An investigation that starts from a person (issue of a breach or a snooping complaint): every client of the
 * organisation whose record {@code actor} read or tried to read in a window, what of it (consents, sessions, referrals,
 * the client's details, audit data), allowed or refused, whether clear text was served or only metadata, and whether
 * the actor had a care relationship with the client in the window — a session, referral or consent recorded by them or
 * at one of the clinics they read from. A list the actor opened (the console's search, the follow-up list) counts for
 * each client it showed, as metadata. Read from the audit's own indexes of entries and lists by actor and time, then
 * the timelines of the clients found: no scan of the organisation's history.
 */
@Component
public final class Investigation {

    /** The services whose reads answer a client's record in clear (the audit holds none in clear). */
    private static final Set<String> CLEAR_TEXT_SERVICES = Set.of("consent-service", "session-service",
                                                                  "referral-service");

    /**
     * One client the actor reached.
     *
     * @param listed how many lists the actor opened showed the client (a list shows ids and what the list is of, no
     *               record): category {@code lists}
     */
    public record ClientFinding(String clientId, String clinicId, int allowed, int refused, int gone, int listed,
                                List<String> categories, boolean clearTextServed, boolean careRelationship,
                                Instant first, Instant last) {
    }

    /**
     * @param accesses        the actor's access events about the organisation's clients in the window: reads and tries
     *                        of a record, and lists
     * @param outsideCaseload the clients whose record was read or tried without a care relationship in the window: the
     *                        snooping signal (a client a list only showed is not in it)
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
        return of(organisationId, actor, from, to, eventId -> true);
    }

    /**
     * The same, of the access events {@code counted} lets through (by event id): an export counts those of the stretch
     * of the ledger it carries.
     */
    public Report of(String organisationId, String actor, Instant from, Instant to,
                     Predicate<String> counted) {
        List<AuditEntry> reads = mongo.find(Query.query(Criteria.where("actor").is(actor)
                                                                .and("occurredAt").gte(from).lt(to)
                                                                .and("kind").is("access"))
                                                 .with(Sort.by("occurredAt", "_id")), AuditEntry.class)
                                      .stream().filter(e -> counted.test(e.eventId())).toList();
        List<ClientList> lists = mongo.find(Query.query(Criteria.where("actor").is(actor)
                                                                .and("occurredAt").gte(from).lt(to))
                                                 .with(Sort.by("occurredAt", "_id")), ClientList.class).stream()
                                      .filter(list -> organisationId.equals(list.organisationId())
                                              && counted.test(list.eventId())).toList();
        Map<String, List<AuditEntry>> readsOf = new LinkedHashMap<>();
        reads.forEach(e -> readsOf.computeIfAbsent(e.clientId(), c -> new ArrayList<>()).add(e));
        Map<String, List<Instant>> listedOf = new LinkedHashMap<>();
        lists.forEach(list -> list.clients().forEach(
                client -> listedOf.computeIfAbsent(client, c -> new ArrayList<>()).add(list.occurredAt())));
        Set<String> reached = new LinkedHashSet<>(readsOf.keySet());
        reached.addAll(listedOf.keySet());
        Map<String, AuditClient> placed = new LinkedHashMap<>();
        mongo.find(Query.query(Criteria.where("_id").in(reached)), AuditClient.class)
             .forEach(client -> placed.put(client.clientId(), client));
        List<ClientFinding> clients = new ArrayList<>();
        for (String clientId : reached) {
            AuditClient client = placed.get(clientId);
            if (client == null || !organisationId.equals(client.organisationId())) {
                // another organisation's client: not this organisation's to investigate
                continue;
            }
            clients.add(finding(mongo, json, client, actor, readsOf.getOrDefault(clientId, List.of()),
                                listedOf.getOrDefault(clientId, List.of()), from, to));
        }
        clients.sort(Comparator.comparing(ClientFinding::first).thenComparing(ClientFinding::clientId));
        Map<String, Integer> byClinic = new TreeMap<>();
        Map<String, Integer> byCategory = new TreeMap<>();
        for (ClientFinding finding : clients) {
            byClinic.merge(finding.clinicId() == null ? "unknown" : finding.clinicId(), 1, Integer::sum);
            finding.categories().forEach(category -> byCategory.merge(category, 1, Integer::sum));
        }
        int accesses = clients.stream().mapToInt(c -> c.allowed() + c.refused() + c.gone()).sum() + lists.size();
        return new Report(organisationId, actor, from, to, clients.size(), accesses, clients,
                          clients.stream().filter(c -> c.allowed() + c.refused() + c.gone() > 0 && !c.careRelationship())
                                 .map(ClientFinding::clientId).toList(),
                          byClinic, byCategory);
    }

    private static ClientFinding finding(MongoTemplate mongo, ObjectMapper json, AuditClient client, String actor,
                                         List<AuditEntry> reads, List<Instant> listed, Instant from, Instant to) {
        int allowed = 0;
        int refused = 0;
        int gone = 0;
        boolean clear = false;
        Set<String> categories = new TreeSet<>();
        Set<String> actorClinics = new TreeSet<>();
        for (AuditEntry access : reads) {
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
        if (!listed.isEmpty()) {
            categories.add("lists");
        }
        // the care relationship: an act on the client's record in the window by the actor or at their clinics
        boolean care = mongo.exists(Query.query(Criteria.where("clientId").is(client.clientId())
                                                        .and("kind").in("consent", "session", "referral")
                                                        .and("occurredAt").gte(from).lt(to)
                                                        .orOperator(Criteria.where("actor").is(actor),
                                                                    Criteria.where("clinicId").in(actorClinics))),
                                    AuditEntry.class);
        List<Instant> times = new ArrayList<>(listed);
        reads.forEach(read -> times.add(read.occurredAt()));
        times.sort(null);
        return new ClientFinding(client.clientId(), client.clinicId(), allowed, refused, gone, listed.size(),
                                 List.copyOf(categories), clear, care, times.getFirst(), times.getLast());
    }

    /** The event ids of {@code actor}'s access events in the window, reads and lists, whoever's client. */
    public List<String> accessEvents(String actor, Instant from, Instant to) {
        Query window = Query.query(Criteria.where("actor").is(actor).and("occurredAt").gte(from).lt(to));
        window.fields().include("_id");
        List<String> ids = new ArrayList<>();
        mongo.find(Query.of(window).addCriteria(Criteria.where("kind").is("access")), Document.class,
                   AuditEntry.COLLECTION).forEach(d -> ids.add(d.getString("_id")));
        mongo.find(window, Document.class, ClientList.COLLECTION).forEach(d -> ids.add(d.getString("_id")));
        return ids;
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
