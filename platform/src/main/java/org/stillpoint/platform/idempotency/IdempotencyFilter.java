package org.stillpoint.platform.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.bson.Document;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.platform.command.WriteOutcome;
import org.stillpoint.platform.erasure.ErasureHandler;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.BufferedRequest;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Problems;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} on the creating requests ({@code POST}): the first request with a key runs and what a retry
 * needs of its successful answer is kept (in the service's own database, so every instance knows it); a retry with the
 * same key, issuer, organisation, subject, method, path and query and the same body gets that again, marked
 * {@code Idempotent-Replayed: true}, and records nothing; the same key with another body is refused
 * ({@code 422 idempotency-key-reused}); a retry while the first is still running is asked to wait ({@code 409},
 * retryable). A request that failed keeps nothing, so it can be retried with the same key. If an instance died while
 * running the request, its outcome is unknown and the key answers so ({@code 409 outcome-unknown}) rather than run the
 * request twice.
 * <p>
 * What is kept is no more than a retry needs (DESIGN §10): the status, the {@code Location} and the answer's ids and
 * sequence — never the answer's body, which may hold a note opened for its author. A replay passes the same access check
 * as a first request ({@link ReplayCheck}): an erased client answers {@code 410}, a caller who may no longer act on the
 * client is refused as they would be. Keys expire after 24 hours (a TTL index, and a sweep for stores without one), and
 * a client's keys are deleted when the client is erased ({@link #erasure}).
 */
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    static final String COLLECTION = "idempotency_keys";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
    private static final Pattern CLIENT_PATH = Pattern.compile("^/api/clients/([^/]+)(/.*)?$");
    static final Duration KEPT = Duration.ofHours(24);
    private static final Duration RUNNING = Duration.ofSeconds(30);
    private static final Duration SWEEP = Duration.ofMinutes(10);
    private static final int MAX_BODY = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The access check a replay passes: the caller may still act on the client the answer was about. */
    @FunctionalInterface
    public interface ReplayCheck {

        /** Refuses ({@link Refusal}) when the caller may not see again what they did to the client's record. */
        void check(Caller caller, ClientId clientId);
    }

    private final MongoCollection<Document> keys;
    private final Clock clock;
    private final ReplayCheck replayCheck;
    private volatile Instant nextSweep = Instant.MIN;

    public IdempotencyFilter(MongoDatabase database, Clock clock, ReplayCheck replayCheck) {
        this.keys = database.getCollection(COLLECTION);
        this.clock = clock;
        this.replayCheck = replayCheck;
        try {
            keys.createIndex(Indexes.ascending("at"), new IndexOptions().expireAfter(KEPT.toSeconds(), TimeUnit.SECONDS)
                                                                        .name("expiry"));
            keys.createIndex(Indexes.ascending("clientId"), new IndexOptions().name("client"));
        } catch (MongoException e) {
            // a store without TTL indexes, or away at start-up: the sweep expires keys, and erasure scans
            logger.warn("idempotency keys' indexes not created: " + e.getMessage());
        }
    }

    /** Deletes an erased client's kept answers: nothing of them is replayed, or kept, after the erasure. */
    public static ErasureHandler erasure(MongoDatabase database) {
        MongoCollection<Document> keys = database.getCollection(COLLECTION);
        return (ClientErased erased) -> keys.deleteMany(Filters.eq("clientId", erased.clientId().toString()));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
                || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (!KEY.matcher(key).matches()) {
            problem(response, 400, "invalid-idempotency-key",
                    "Idempotency-Key must be 1 to 200 visible ASCII characters.", false);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            problem(response, 413, "body-too-large", "The request body is too large.", false);
            return;
        }
        Caller caller = caller();
        String id = sha256(scope(caller, request, key).getBytes(StandardCharsets.UTF_8));
        // salted with the key's scope: a short body (a date of birth, say) cannot be found from its hash
        String bodyHash = sha256((id + "\n" + new String(body, StandardCharsets.ISO_8859_1))
                                         .getBytes(StandardCharsets.ISO_8859_1));
        Instant now = clock.instant();
        boolean claimed;
        try {
            sweep(now);
            claimed = claim(id, bodyHash, now);
        } catch (MongoException e) {
            problem(response, 503, "store-unavailable", "The database cannot be reached; nothing was recorded. Retry "
                    + "shortly with the same Idempotency-Key.", true);
            return;
        }
        if (!claimed) {
            answerKnown(response, caller, keys.find(Filters.eq("_id", id)).first(), bodyHash, now);
            return;
        }
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        boolean kept = false;
        try {
            chain.doFilter(new BufferedRequest(request, body), answer);
            int status = answer.getStatus();
            if (status >= 200 && status < 300) {
                ObjectNode ids = idsOf(answer.getContentAsByteArray(), answer.getContentType());
                // if the database fails here the key stays RUNNING: a retry is told the outcome is unknown, never run twice
                keys.updateOne(Filters.eq("_id", id), Updates.combine(
                        Updates.set("state", "DONE"), Updates.set("status", status),
                        Updates.set("location", answer.getHeader(HttpHeaders.LOCATION)),
                        Updates.set("clientId", clientOf(ids, request, caller)),
                        Updates.set("ids", ids.isEmpty() ? null : ids.toString())));
                kept = true;
            }
        } catch (MongoException e) {
            // the answer went out already or the advice wrote it; what is kept of the key is what the database took
            kept = true;
        } finally {
            if (!kept && WriteOutcome.isUnknown(request)) {
                // it may have been recorded: a retry must not run it again
                keep(id, "UNKNOWN");
            } else if (!kept) {
                release(id);
            }
            answer.copyBodyToResponse();
        }
    }

    /**
     * Where a key belongs: the token's issuer, organisation and subject, the method, the path and the query. A key of one
     * caller, organisation or request is never another's.
     */
    static String scope(Caller caller, HttpServletRequest request, String key) {
        String issuer = SecurityContextHolder.getContext().getAuthentication() != null
                && SecurityContextHolder.getContext().getAuthentication().getPrincipal() instanceof Jwt jwt
                && jwt.getClaimAsString("iss") != null ? jwt.getClaimAsString("iss") : "";
        return String.join("\n", issuer, caller == null || caller.organisationId() == null ? ""
                                   : caller.organisationId().toString(), caller == null ? "" : caller.subject(),
                           request.getMethod(), request.getRequestURI(),
                           request.getQueryString() == null ? "" : request.getQueryString(), key);
    }

    private void answerKnown(HttpServletResponse response, Caller caller, Document known, String bodyHash, Instant now)
            throws IOException {
        if (known == null) {
            problem(response, 409, "idempotency-key-in-flight", "A request with this Idempotency-Key is running; "
                    + "retry shortly.", true);
        } else if (!bodyHash.equals(known.getString("bodyHash"))) {
            problem(response, 422, "idempotency-key-reused", "This Idempotency-Key was used for a request with "
                    + "another body; use a new key for a new request.", false);
        } else if ("DONE".equals(known.getString("state"))) {
            replay(response, caller, known);
        } else if ("UNKNOWN".equals(known.getString("state"))) {
            problem(response, 409, "outcome-unknown", "The request with this Idempotency-Key met a database failure "
                    + "after it was sent: it may or may not have been recorded, and it is not run again. Read before "
                    + "you write again, with a new key.", false);
        } else if (known.getDate("at").toInstant().plus(RUNNING).isBefore(now)) {
            problem(response, 409, "outcome-unknown", "A request with this Idempotency-Key was interrupted; it may "
                    + "or may not have been recorded. Read before you write again, with a new key.", false);
        } else {
            problem(response, 409, "idempotency-key-in-flight", "A request with this Idempotency-Key is running; "
                    + "retry shortly.", true);
        }
    }

    /** The kept answer again, once the caller passed the same access check as a first request. */
    private void replay(HttpServletResponse response, Caller caller, Document known) throws IOException {
        String clientId = known.getString("clientId");
        if (clientId != null && caller != null && ClientId.isId(clientId)) {
            try {
                replayCheck.check(caller, ClientId.of(clientId));
            } catch (Refusal refusal) {
                Map<String, Object> members = new java.util.TreeMap<>(refusal.properties());
                members.replaceAll((name, value) -> value instanceof Boolean || value instanceof Number ? value
                        : String.valueOf(value));
                if (refusal.field() != null) {
                    members.put("field", refusal.field());
                }
                Problems.write(response, refusal.kind().status(), refusal.code(), refusal.code(), refusal.getMessage(),
                               members);
                return;
            }
        }
        response.setStatus(known.getInteger("status"));
        if (known.getString("location") != null) {
            response.setHeader(HttpHeaders.LOCATION, known.getString("location"));
        }
        response.setHeader(REPLAYED, "true");
        if (known.getString("ids") != null) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getOutputStream().write(known.getString("ids").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The answer's ids and sequence (top-level members named {@code …Id}, {@code id} or {@code sequence}): no more. */
    static ObjectNode idsOf(byte[] answer, String contentType) {
        ObjectNode ids = JSON.createObjectNode();
        if (contentType == null || !contentType.contains("json") || answer.length == 0) {
            return ids;
        }
        try {
            JsonNode tree = JSON.readTree(answer);
            if (tree != null && tree.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String name = field.getKey();
                    boolean id = name.equals("id") || name.equals("sequence") || name.endsWith("Id");
                    if (id && (field.getValue().isTextual() || field.getValue().isIntegralNumber())) {
                        ids.set(name, field.getValue());
                    }
                }
            }
        } catch (IOException e) {
            // not JSON after all: nothing of it is kept
        }
        return ids;
    }

    /** The client the request acted on: the answer's {@code clientId}, the path's, or a client's own. */
    private static String clientOf(ObjectNode ids, HttpServletRequest request, Caller caller) {
        if (ids.path("clientId").isTextual()) {
            return ids.get("clientId").asText();
        }
        Matcher path = CLIENT_PATH.matcher(request.getRequestURI());
        if (path.matches()) {
            return path.group(1);
        }
        return caller == null ? null : caller.ownClient().map(ClientId::toString).orElse(null);
    }

    private void keep(String id, String state) {
        try {
            keys.updateOne(Filters.eq("_id", id), Updates.set("state", state));
        } catch (MongoException e) {
            // it stays RUNNING: a retry is told the outcome is unknown after a while
        }
    }

    /** Frees the key of a request that failed, so it can be retried; if the database is away the key stays taken. */
    private void release(String id) {
        try {
            keys.deleteOne(Filters.and(Filters.eq("_id", id), Filters.eq("state", "RUNNING")));
        } catch (MongoException e) {
            // a retry finds it running, then after a while is told its outcome is unknown
        }
    }

    /** Expires keys older than a day on a store whose TTL index does not (the embedded one): at most every 10 minutes. */
    private void sweep(Instant now) {
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP);
        keys.deleteMany(Filters.lt("at", Date.from(now.minus(KEPT))));
    }

    /** Takes the key for this request: a new one, or one kept longer than a day. */
    private boolean claim(String id, String bodyHash, Instant now) {
        Document claim = new Document("_id", id).append("bodyHash", bodyHash).append("state", "RUNNING")
                                                .append("at", Date.from(now));
        try {
            keys.insertOne(claim);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Document known = keys.find(Filters.eq("_id", id)).first();
        if (known != null && known.getDate("at").toInstant().plus(KEPT).isBefore(now)) {
            return keys.replaceOne(Filters.and(Filters.eq("_id", id), Filters.eq("at", known.getDate("at"))), claim)
                       .getModifiedCount() == 1;
        }
        return false;
    }

    private static void problem(HttpServletResponse response, int status, String code, String detail, boolean retryable)
            throws IOException {
        if (retryable) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        }
        Problems.write(response, status, code, code, detail, Map.of("field", HEADER, "retryable", retryable));
    }

    private static Caller caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Jwt jwt ? Caller.of(jwt) : null;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
