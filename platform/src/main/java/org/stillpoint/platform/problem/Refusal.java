package org.stillpoint.platform.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command or request refused for a reason the caller can act on. It carries a stable code (the problem type is
 * {@code urn:stillpoint:problem:<code>}), the field it concerns, and the kind of refusal, which decides the HTTP status.
 * Domain code throws it without knowing about HTTP.
 */
public class Refusal extends RuntimeException {

    /** The kind of refusal, and the HTTP status it answers with. */
    public enum Kind {
        /** The request is malformed: 400. */
        INVALID(400),
        /** The caller's token does not allow it: 403. */
        FORBIDDEN(403),
        /** Something named does not exist (or must not be revealed to this caller): 404. */
        NOT_FOUND(404),
        /** The request conflicts with the current state: 409. */
        CONFLICT(409),
        /** What was asked for existed and was removed for good (an erased client's record): 410. */
        GONE(410),
        /** Well-formed, but against a domain rule: 422. */
        UNPROCESSABLE(422),
        /** Not possible right now; the same request may succeed later: 503. */
        RETRY_LATER(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final String code;
    private final String field;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    public Refusal(Kind kind, String code, String field, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.code = code;
        this.field = field;
    }

    public static Refusal notFound(String code, String field, String detail) {
        return new Refusal(Kind.NOT_FOUND, code, field, detail);
    }

    public static Refusal forbidden(String code, String field, String detail) {
        return new Refusal(Kind.FORBIDDEN, code, field, detail);
    }

    public static Refusal conflict(String code, String field, String detail) {
        return new Refusal(Kind.CONFLICT, code, field, detail);
    }

    public static Refusal gone(String code, String field, String detail) {
        return new Refusal(Kind.GONE, code, field, detail);
    }

    public static Refusal unprocessable(String code, String field, String detail) {
        return new Refusal(Kind.UNPROCESSABLE, code, field, detail);
    }

    public static Refusal invalid(String code, String field, String detail) {
        return new Refusal(Kind.INVALID, code, field, detail);
    }

    public static Refusal retryLater(String code, String field, String detail) {
        return new Refusal(Kind.RETRY_LATER, code, field, detail);
    }

    /** Adds a member to the problem details, such as the scopes that were missing. */
    public Refusal with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** Further members of the problem details. */
    public Map<String, Object> properties() {
        return Map.copyOf(properties);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** The request field the refusal is about, as a JSON path such as {@code scopes} or {@code grantor.relationship}. */
    public String field() {
        return field;
    }
}
