package org.stillpoint.consent.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.eventhandling.Segment;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import org.stillpoint.consent.command.RecordCopyProduced;
import org.stillpoint.consent.command.ReferCopyNotes;
import org.stillpoint.consent.config.CopyProperties;
import org.stillpoint.consent.query.ClientConsentsProjection;
import org.stillpoint.consent.query.CopyRequestView;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.consent.CopyFormat;
import org.stillpoint.contracts.consent.CopyNotes;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.platform.command.Commands;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.copy.CopyGrant;
import org.stillpoint.platform.copy.CopyGrants;
import org.stillpoint.platform.problem.Refusal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Produces the copies clients asked for (DESIGN §10), in the background, on a thread of its own so that no request
 * and no other schedule waits for it. Every few seconds it takes the open requests of the clients whose segments of
 * the consents projection this instance processes — so each request has one producer, and a request an instance left
 * half-made is taken up by the next owner of its segment, after a restart too — and for each one fetches every part of
 * the record under a copy grant, writing the FHIR bundle and the readable document as the lines arrive, sealed stretch
 * by stretch ({@link CopyStore}); then records {@code copy-produced}. A part that cannot be fetched is retried later
 * with a growing wait; what the failed attempt stored is removed. One copy at a time per instance: a large copy takes
 * one core at most, and the writes of other clients go on beside it.
 */
@Component
class CopyProducer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CopyProducer.class);
    private static final ObjectMapper JSON = EventJson.newMapper();
    private static final Duration GRANT_LASTS = Duration.ofMinutes(15);

    private final MongoTemplate mongo;
    private final CopyStore store;
    private final CopyGrants grants;
    private final CopyProperties properties;
    private final Commands commands;
    private final Clock clock;
    private final ProcessingProgress progress;
    private final Environment environment;
    private final FieldCipher cipher;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                                              .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Backoff> waiting = new ConcurrentHashMap<>();
    private ScheduledExecutorService thread;

    CopyProducer(MongoTemplate mongo, CopyStore store, CopyGrants grants, CopyProperties properties, Commands commands,
                 Clock clock, ProcessingProgress progress, Environment environment, FieldCipher cipher) {
        this.mongo = mongo;
        this.store = store;
        this.grants = grants;
        this.properties = properties;
        this.commands = commands;
        this.clock = clock;
        this.progress = progress;
        this.environment = environment;
        this.cipher = cipher;
    }

    private record Backoff(Instant until, Duration delay) {
    }

    @Override
    public void start() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "copy-producer"));
        long every = properties.checkInterval().toMillis();
        thread.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (thread != null) {
            thread.shutdownNow();
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** One round: every open request of this instance's clients that is not waiting after a failure. */
    void round() {
        try {
            List<Segment> mine = progress.segmentsHere(ClientConsentsProjection.PROCESSOR);
            if (mine.isEmpty()) {
                return;
            }
            List<CopyRequestView> open = mongo.find(Query.query(Criteria.where("status").is(CopyRequestView.REQUESTED)),
                                                    CopyRequestView.class);
            for (CopyRequestView request : open) {
                Backoff backoff = waiting.get(request.requestId());
                if (mine.stream().noneMatch(s -> s.matches(request.clientId()))
                        || backoff != null && clock.instant().isBefore(backoff.until())) {
                    continue;
                }
                produce(request);
            }
        } catch (RuntimeException e) {
            log.warn("copy round failed; the next round tries again: {}", e.toString());
        }
    }

    /** Produces one copy, or leaves the request open for a later round and says why. */
    void produce(CopyRequestView request) {
        try {
            CopyStore.CopyFile file = store.file(request.requestId()).orElse(null);
            if (file == null && request.notesDecision() == null && notesWithheld(request)) {
                // the organisation does not show notes to clients: a clinic administrator decides for this copy first
                commands.send(new ReferCopyNotes(ClientId.of(request.clientId()), UUID.fromString(request.requestId()),
                                                 clock.instant()));
                waiting.remove(request.requestId());
                return;
            }
            if (file == null) {
                file = make(request);
            }
            if (file != null) {
                record(request, file);
            }
            waiting.remove(request.requestId());
        } catch (RuntimeException | IOException e) {
            Backoff before = waiting.get(request.requestId());
            Duration wait = before == null ? Duration.ofSeconds(15)
                    : before.delay().multipliedBy(2).compareTo(Duration.ofMinutes(15)) > 0 ? Duration.ofMinutes(15)
                    : before.delay().multipliedBy(2);
            waiting.put(request.requestId(), new Backoff(clock.instant().plus(wait), wait));
            log.warn("the copy of request {} (client {}) is not produced yet, tried again in {}: {}",
                     request.requestId(), request.clientId(), wait, e.toString());
        }
    }

    /** The copy made and kept; null when another attempt was kept first (it records the production). */
    private CopyStore.CopyFile make(CopyRequestView request) throws IOException {
        UUID requestId = UUID.fromString(request.requestId());
        ClientId client = ClientId.of(request.clientId());
        Instant now = clock.instant();
        String attempt = UUID.randomUUID().toString();
        String grant = grant(request, now);
        CopyStore.Sink bundle = store.sink(client, requestId, attempt, CopyFormat.FHIR_BUNDLE);
        CopyStore.Sink document = store.sink(client, requestId, attempt, CopyFormat.DOCUMENT);
        try {
            FhirCopy fhir = new FhirCopy(bundle, requestId, request.clientId(), now);
            ReadableCopy readable = new ReadableCopy(document, request.requestId(), properties.zone(), now);
            String notes = "withheld";
            String denied = denial(request);
            for (String part : CopyProperties.PARTS) {
                JsonNode header = fetch(part, requestId, grant, denied, fhir, readable);
                if (part.equals("sessions")) {
                    notes = header.path("notes").asText("withheld");
                }
            }
            fhir.finish();
            readable.finish();
            bundle.close();
            document.close();
            CopyStore.CopyFile file = new CopyStore.CopyFile(request.requestId(), request.clientId(), attempt,
                                                             bundle.chunks(), document.chunks(), bundle.sha256(),
                                                             document.sha256(), fhir.count(), notes);
            if (store.keep(file)) {
                store.discardOthers(file);
                return file;
            }
            store.discard(request.requestId(), attempt);
            return null;
        } catch (RuntimeException | IOException e) {
            store.discard(request.requestId(), attempt);
            throw e;
        }
    }

    /**
     * Fetches one part and writes it to both forms as its lines arrive; answers its first line (for the sessions, what
     * it holds of the notes).
     *
     * @param denied why a clinic administrator kept the notes out of this copy; null when none did
     */
    private JsonNode fetch(String part, UUID requestId, String grant, String denied, CopyForm... forms)
            throws IOException {
        URI uri = address(part, requestId.toString(), "");
        HttpResponse<Stream<String>> response = send(uri, grant, HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            Iterator<String> each = lines.iterator();
            if (response.statusCode() != 200) {
                StringBuilder said = new StringBuilder();
                while (each.hasNext() && said.length() < 500) {
                    said.append(each.next());
                }
                throw new IOException(uri + " answered " + response.statusCode() + ": " + said);
            }
            if (!each.hasNext()) {
                throw new IOException(uri + " answered nothing");
            }
            JsonNode header = JSON.readTree(each.next());
            if (!part.equals(header.path("part").asText())) {
                throw new IOException(uri + " answered another part than " + part + ": " + header.path("part"));
            }
            if (part.equals("sessions") && denied != null && header.path("notes").asText().equals("withheld")) {
                ((ObjectNode) header).put("withheldBecause", denied);
            }
            for (CopyForm form : forms) {
                form.part(part, header);
            }
            while (each.hasNext()) {
                String line = each.next();
                if (line.isBlank()) {
                    continue;
                }
                JsonNode item = JSON.readTree(line);
                for (CopyForm form : forms) {
                    form.item(part, item);
                }
            }
            return header;
        }
    }

    /** Where {@code part} of request {@code requestId} is fetched, with {@code query} ({@code ?header=only}) if any. */
    private URI address(String part, String requestId, String query) {
        return URI.create(properties.partAddress(part).replace("{requestId}", requestId).replace("{self}", self())
                                  + query);
    }

    /** Asks a part's service under the copy's grant. */
    private <T> HttpResponse<T> send(URI uri, String grant, HttpResponse.BodyHandler<T> body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(properties.partTimeout())
                                         .header(CopyGrants.HEADER, grant).header("Accept", "application/x-ndjson")
                                         .GET().build();
        try {
            return http.send(request, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + uri, e);
        }
    }

    /** The grant of this request's copy: the notes released where a clinic administrator released them. */
    private String grant(CopyRequestView request, Instant now) {
        return grants.sign(new CopyGrant(UUID.fromString(request.requestId()), ClientId.of(request.clientId()),
                                         OrganisationId.of(request.organisationId()),
                                         "RELEASED".equals(request.notesDecision()), now.plus(GRANT_LASTS)));
    }

    /** Whether session-service withholds the notes from this copy, as things stand: its part's first line alone. */
    private boolean notesWithheld(CopyRequestView request) throws IOException {
        URI uri = address("sessions", request.requestId(), "?header=only");
        HttpResponse<String> answer = send(uri, grant(request, clock.instant()), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException(uri + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body().lines().findFirst().orElse("{}")).path("notes").asText("withheld")
                   .equals("withheld");
    }

    /** Why a clinic administrator kept the notes out of this copy, as the copy says it: when, and why; or null. */
    private String denial(CopyRequestView request) {
        if (!"DENIED".equals(request.notesDecision())) {
            return null;
        }
        String reason = cipher.of(request.clientId()).open(request.notesReason(), SealedFields.COPY_NOTES_REASON)
                              .orElse("(the reason is no longer readable)");
        String day = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(properties.zone())
                                      .format(request.notesDecidedAt());
        return "A clinic administrator decided on " + day + " not to release the notes of your "
                + "sessions for this copy: " + reason;
    }

    private void record(CopyRequestView request, CopyStore.CopyFile file) {
        Instant now = clock.instant();
        try {
            commands.send(new RecordCopyProduced(ClientId.of(request.clientId()), UUID.fromString(request.requestId()),
                                                 now, now.atZone(ZoneOffset.UTC).plus(properties.availableFor())
                                                         .toInstant(), properties.downloads(),
                                                 CopyNotes.valueOf(file.notes().toUpperCase(Locale.ROOT)),
                                                 file.resources(), file.bundleSha256(), file.documentSha256()));
        } catch (Refusal refused) {
            if (!refused.code().equals("copy-produced-already")) {
                throw refused;
            }
        } catch (ConcurrencyException raced) {
            // another instance recorded it at the same moment; the next round sees the request answered
        }
    }

    /** This service itself, for the part it holds ({@code {self}}): loopback on the port it listens on. */
    private String self() {
        return "http://127.0.0.1:" + environment.getProperty("local.server.port",
                                                              environment.getProperty("server.port", "8080"));
    }
}
