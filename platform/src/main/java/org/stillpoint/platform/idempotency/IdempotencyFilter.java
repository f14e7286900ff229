package org.stillpoint.platform.idempotency;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.stillpoint.platform.command.WriteOutcome;
import org.stillpoint.security.BufferedRequest;
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
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} on the creating requests ({@code POST}): the first request with a key runs and its successful
 * answer is kept (in the service's own database, so every instance knows it); a retry with the same key, caller, path
 * and body gets that answer again, marked {@code Idempotent-Replayed: true}, and records nothing; the same key with
 * another body is refused ({@code 422 idempotency-key-reused}); a retry while the first is still running is asked to
 * wait ({@code 409}, retryable). A request that failed keeps nothing, so it can be retried with the same key. If an
 * instance died while running the request, its outcome is unknown and the key answers so ({@code 409 outcome-unknown})
 * rather than run the request twice. Keys are kept for 24 hours.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    static final String COLLECTION = "idempotency_keys";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
    private static final Duration KEPT = Duration.ofHours(24);
    private static final Duration RUNNING = Duration.ofSeconds(30);
    private static final int MAX_BODY = 1 << 20;

    private final MongoCollection<Document> keys;
    private final Clock clock;

    public IdempotencyFilter(MongoDatabase database, Clock clock) {
        this.keys = database.getCollection(COLLECTION);
        this.clock = clock;
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
        String id = sha256((caller() + "\n" + request.getRequestURI() + "\n" + key).getBytes(StandardCharsets.UTF_8));
        String bodyHash = sha256(body);
        Instant now = clock.instant();
        boolean claimed;
        try {
            claimed = claim(id, bodyHash, now);
        } catch (MongoException e) {
            problem(response, 503, "store-unavailable", "The database cannot be reached; nothing was recorded. Retry "
                    + "shortly with the same Idempotency-Key.", true);
            return;
        }
        if (!claimed) {
            Document known = keys.find(Filters.eq("_id", id)).first();
            if (known == null) {
                problem(response, 409, "idempotency-key-in-flight", "A request with this Idempotency-Key is running; "
                        + "retry shortly.", true);
            } else if (!bodyHash.equals(known.getString("bodyHash"))) {
                problem(response, 422, "idempotency-key-reused", "This Idempotency-Key was used for a request with "
                        + "another body; use a new key for a new request.", false);
            } else if ("DONE".equals(known.getString("state"))) {
                replay(response, known);
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
            return;
        }
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        boolean kept = false;
        try {
            chain.doFilter(new BufferedRequest(request, body), answer);
            int status = answer.getStatus();
            if (status >= 200 && status < 300) {
                // if the database fails here the key stays RUNNING: a retry is told the outcome is unknown, never run twice
                keys.updateOne(Filters.eq("_id", id), Updates.combine(
                        Updates.set("state", "DONE"), Updates.set("status", status),
                        Updates.set("location", answer.getHeader(HttpHeaders.LOCATION)),
                        Updates.set("contentType", answer.getContentType()),
                        Updates.set("body", new Binary(answer.getContentAsByteArray()))));
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

    private static void replay(HttpServletResponse response, Document known) throws IOException {
        response.setStatus(known.getInteger("status"));
        if (known.getString("location") != null) {
            response.setHeader(HttpHeaders.LOCATION, known.getString("location"));
        }
        if (known.getString("contentType") != null) {
            response.setContentType(known.getString("contentType"));
        }
        response.setHeader(REPLAYED, "true");
        response.getOutputStream().write(known.get("body", Binary.class).getData());
    }

    private static void problem(HttpServletResponse response, int status, String code, String detail, boolean retryable)
            throws IOException {
        if (retryable) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        }
        Problems.write(response, status, code, code, detail, Map.of("field", HEADER, "retryable", retryable));
    }

    private static String caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "" : authentication.getName();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
