package org.stillpoint.platform.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The operator's dead letters of this service (role {@code OPERATOR} only): list them, retry one or all once the cause
 * is removed, drop one with a reason of the vocabulary. What an operator sees of a record is where it was read, its
 * CloudEvents attributes and the shape of its body — field names and kinds, never values — so no client's data is
 * shown. The organisation is a boundary here as everywhere: an operator sees and acts on the letters of their own
 * organisation's clients only (another's answer {@code 404}, as if they did not exist). A letter's organisation is its
 * client's, as this service's directory knows it, or else the one its record names; a letter that names none (a record
 * without a client, or with a made-up one) belongs to no organisation, and every operator sees it.
 */
@RestController
@RequestMapping("/api/operations/dead-letters")
public record DeadLetterController(Quarantine quarantine, ProjectionDeadLetters projections, ClientDirectory directory) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A letter as an operator sees it. */
    public record DeadLetterView(String id, String group, String clientId, String topic, int partition, long offset,
                                 Map<String, String> attributes, Object bodyShape, DeadLetter.Status status,
                                 String reason, String exception, String message, int attempts, Instant firstAttempt,
                                 Instant lastAttempt, String resolvedBy, String resolution, Instant resolvedAt) {
    }

    /**
     * Why an operator drops a record: a reason from a fixed vocabulary, and a ticket of the operator's own tracker if
     * any. Nothing free-text is kept in clear, since a drop is audited and outlives any erasure (docs/ERASURE.md).
     *
     * @param reason {@value #DROP_REASONS}
     * @param ticket a ticket reference such as {@code OPS-1234}
     */
    public record Drop(@NotBlank @Pattern(regexp = DROP_REASONS, message = "must be one of " + DROP_REASONS)
                       String reason,
                       @Pattern(regexp = "[A-Z][A-Z0-9]{1,9}-[0-9]{1,9}", message = "must be a ticket reference such "
                               + "as OPS-1234") String ticket) {

        /** The reason as recorded: the reason, then the ticket. */
        public String recorded() {
            return ticket == null ? reason : reason + " " + ticket;
        }
    }

    /** The reasons a record is dropped for. */
    public static final String DROP_REASONS = "forged|duplicate|superseded|unreadable|misrouted|unknown-type"
            + "|republished|obsolete-revision|test-data";

    /** What a retry or drop of a projection's letter did. */
    public record ProjectionRelease(String id, boolean applied, boolean held) {
    }

    @GetMapping
    public List<DeadLetterView> list(Caller caller, @RequestParam(defaultValue = "open") String status,
                                     @RequestParam(required = false) String group) {
        operator(caller);
        if (!status.equals("open") && !status.equals("all")) {
            throw Refusal.invalid("invalid-parameter", "status", "status is open or all.");
        }
        return quarantine.list(group, status.equals("open")).stream().filter(l -> mine(caller, l))
                         .map(DeadLetterController::view).toList();
    }

    /** The projections' dead letters: events of the service's own store that a read model could not apply. */
    @GetMapping("/projections")
    public List<ProjectionDeadLetters.Letter> projections(Caller caller) {
        operator(caller);
        return projections.list().stream().filter(l -> mine(caller, l.clientId(), null)).toList();
    }

    @PostMapping("/projections/{id}/retry")
    public ProjectionRelease retryProjection(Caller caller, @PathVariable String id) {
        operator(caller);
        projection(caller, id);
        try {
            boolean applied = projections.retry(id, caller.subject());
            return new ProjectionRelease(id, applied, !applied);
        } catch (Quarantine.NoSuchLetter e) {
            throw notFound(id);
        }
    }

    @PostMapping("/projections/{id}/drop")
    public ProjectionRelease dropProjection(Caller caller, @PathVariable String id, @Valid @RequestBody Drop drop) {
        operator(caller);
        projection(caller, id);
        try {
            boolean released = projections.drop(id, caller.subject(), drop.recorded());
            return new ProjectionRelease(id, released, !released);
        } catch (Quarantine.NoSuchLetter e) {
            throw notFound(id);
        }
    }

    @GetMapping("/{id}")
    public DeadLetterView one(Caller caller, @PathVariable String id) {
        operator(caller);
        return view(letter(caller, id));
    }

    @PostMapping("/{id}/retry")
    public Quarantine.Release retry(Caller caller, @PathVariable String id) {
        operator(caller);
        letter(caller, id);
        return act(() -> quarantine.retry(id, caller.subject()), id);
    }

    @PostMapping("/{id}/drop")
    public Quarantine.Release drop(Caller caller, @PathVariable String id, @Valid @RequestBody Drop drop) {
        operator(caller);
        letter(caller, id);
        return act(() -> quarantine.drop(id, caller.subject(), drop.recorded()), id);
    }

    /** Retries every parked letter of the consumers (of one group when named), and of every projection. */
    @PostMapping("/retry")
    public List<Quarantine.Release> retryAll(Caller caller, @RequestParam(required = false) String group) {
        operator(caller);
        if (group == null) {
            for (ProjectionDeadLetters.Letter letter : projections(caller)) {
                if (!letter.queued()) {
                    projections.retry(letter.id(), caller.subject());
                }
            }
        }
        return quarantine.retryAll(group, caller.subject(), l -> mine(caller, l));
    }

    /** The letter, if it is one of the caller's organisation's (or of none); else as if it did not exist. */
    private DeadLetter letter(Caller caller, String id) {
        return quarantine.find(id).filter(l -> mine(caller, l)).orElseThrow(() -> notFound(id));
    }

    private void projection(Caller caller, String id) {
        if (projections.list().stream().noneMatch(l -> l.id().equals(id) && mine(caller, l.clientId(), null))) {
            throw notFound(id);
        }
    }

    private boolean mine(Caller caller, DeadLetter letter) {
        return mine(caller, letter.key(), letter.value());
    }

    /** Whether a letter about {@code key} (with {@code value} as read) is the caller's organisation's, or of none. */
    private boolean mine(Caller caller, String key, byte[] value) {
        Optional<String> organisation = Optional.empty();
        if (key != null && ClientId.isId(key)) {
            try {
                organisation = directory.known(ClientId.of(key)).map(p -> p.organisationId().toString());
            } catch (RuntimeException unreadable) {
                // the client's own document may be what is damaged (why the letter is here): the record says
            }
        }
        if (organisation.isEmpty()) {
            organisation = DeadLetter.organisationNamedBy(value);
        }
        return organisation.map(o -> caller.organisationId() != null && o.equals(caller.organisationId().toString()))
                           .orElse(true);
    }


    private static void operator(Caller caller) {
        if (!caller.has(Role.OPERATOR) || caller.organisationId() == null) {
            throw Refusal.forbidden("role-not-allowed", null, "Only operators handle dead letters.");
        }
    }

    private static Quarantine.Release act(Supplier<Quarantine.Release> act, String id) {
        try {
            return act.get();
        } catch (Quarantine.NoSuchLetter e) {
            throw notFound(id);
        } catch (Quarantine.LetterClosed | Quarantine.ReleaseInProgress e) {
            throw Refusal.conflict("dead-letter-closed", "id", e.getMessage());
        }
    }

    private static Refusal notFound(String id) {
        return Refusal.notFound("dead-letter-not-found", "id", "There is no dead letter " + id + " here.");
    }

    static DeadLetterView view(DeadLetter letter) {
        Map<String, String> attributes = new LinkedHashMap<>();
        letter.headers().forEach((name, value) -> {
            if (name.startsWith("ce_") || name.equals("content-type")) {
                attributes.put(name, value);
            }
        });
        return new DeadLetterView(letter.id(), letter.group(), letter.key(), letter.topic(), letter.partition(),
                                  letter.offset(), attributes, shape(letter.value()), letter.status(), letter.reason(),
                                  letter.exception(), letter.message(), letter.attempts(), letter.firstAttempt(),
                                  letter.lastAttempt(), letter.resolvedBy(), letter.resolution(), letter.resolvedAt());
    }

    /** The body's structure: field names and the kind of each value; a sealed field shows as sealed. */
    static Object shape(byte[] value) {
        if (value == null) {
            return "absent";
        }
        try {
            return shape(JSON.readTree(value));
        } catch (IOException e) {
            return "unreadable (" + value.length + " bytes)";
        }
    }

    private static Object shape(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "empty";
        }
        if (node.isObject()) {
            if (node.has("ciphertext") && node.has("key")) {
                return "sealed";
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), shape(field.getValue()));
            }
            return fields;
        }
        if (node.isArray()) {
            return "array(" + node.size() + ")";
        }
        return node.getNodeType().name().toLowerCase();
    }
}
