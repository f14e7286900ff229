package org.stillpoint.platform.web;

import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoTimeoutException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.stillpoint.platform.command.StoredNotYetVisible;
import org.stillpoint.platform.command.WriteOutcome;
import org.stillpoint.platform.problem.Refusal;
import tools.jackson.core.JacksonException;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every error answers as RFC 9457 problem details with a stable type per kind of error and the field it concerns;
 * never a stack trace.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    public static URI type(String code) {
        return URI.create("urn:stillpoint:problem:" + code);
    }

    @ExceptionHandler(Refusal.class)
    public ResponseEntity<Object> refused(Refusal refusal) {
        ProblemDetail problem = problem(HttpStatus.valueOf(refusal.kind().status()), refusal.code(), refusal.getMessage());
        if (refusal.field() != null) {
            problem.setProperty("field", refusal.field());
        }
        refusal.properties().forEach(problem::setProperty);
        HttpHeaders headers = new HttpHeaders();
        if (refusal.kind() == Refusal.Kind.RETRY_LATER) {
            headers.set(HttpHeaders.RETRY_AFTER, "1");
            problem.setProperty("retryable", true);
        }
        return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
    }

    /** Stored, not yet readable: 202 with where to read it. */
    @ExceptionHandler(StoredNotYetVisible.class)
    public ResponseEntity<Object> accepted(StoredNotYetVisible accepted) {
        return ResponseEntity.accepted().location(accepted.location())
                             .body(Map.of("status", 202, "stored", true, "visible", false, "held", accepted.held(),
                                          "location", accepted.location().toString(), "detail", accepted.getMessage()));
    }

    @ExceptionHandler(ConcurrencyException.class)
    public ResponseEntity<Object> concurrent(ConcurrencyException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "concurrent-modification",
                                        "The record was changed by another request at the same moment; retry.");
        problem.setProperty("retryable", true);
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    public ResponseEntity<Object> notFound(AggregateNotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                             .body(problem(HttpStatus.NOT_FOUND, "not-found", "No such record."));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Object> unexpected(Exception e) {
        MongoException store = storeFailure(e);
        URI stored = WriteOutcome.storedLocation();
        if (stored != null) {
            // the write was stored before the failure: say so, never "nothing was recorded"
            log.warn("a request failed after its write was stored ({})", e.getClass().getSimpleName());
            return accepted(new StoredNotYetVisible(stored, false));
        }
        if (store != null) {
            return storeUnavailable(store);
        }
        log.error("request failed", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                             .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                                           "The request failed; nothing was recorded by it."));
    }

    /**
     * The database failed under the request. When the server could not be reached at all nothing was sent, and so
     * nothing recorded; when the connection broke or timed out after a write was sent, its outcome is unknown: the
     * caller retries (with the same {@code Idempotency-Key} for a create), and is never told that nothing was recorded.
     */
    private static ResponseEntity<Object> storeUnavailable(MongoException e) {
        boolean notSent = e instanceof MongoTimeoutException || e instanceof MongoSocketOpenException;
        if (!notSent) {
            WriteOutcome.unknown();
        }
        log.warn("the database failed under a request ({}): {}", e.getClass().getSimpleName(), notSent
                ? "nothing was sent" : "the outcome of a write is unknown");
        ProblemDetail problem = notSent
                ? problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable",
                          "The database cannot be reached; nothing was recorded. Retry shortly.")
                : problem(HttpStatus.SERVICE_UNAVAILABLE, "outcome-unknown",
                          "The database stopped answering during the request: it may or may not have been recorded. "
                                  + "Retry with the same Idempotency-Key, or read before you write again.");
        problem.setProperty("retryable", true);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }

    private static MongoException storeFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof MongoSocketException || cause instanceof MongoTimeoutException
                    || cause instanceof MongoNotPrimaryException || cause instanceof MongoNodeIsRecoveringException) {
                return (MongoException) cause;
            }
        }
        return null;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                                            .map(f -> Map.of("field", f.getField(), "message", message(f)))
                                            .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                                            .toList();
        String detail = errors.stream().map(m -> m.get("field") + " " + m.get("message"))
                              .collect(Collectors.joining("; "));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", detail);
        if (!errors.isEmpty()) {
            problem.setProperty("field", errors.getFirst().get("field"));
        }
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        String field = null;
        String reason = "the body is not valid JSON for this request";
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                field = path(jackson.getPath());
                Throwable root = rootCause(jackson);
                reason = root instanceof IllegalArgumentException || root instanceof NullPointerException
                        ? field + ": " + root.getMessage()
                        : field + " has the wrong type or format";
                break;
            }
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-request", reason);
        if (field != null) {
            problem.setProperty("field", field);
        }
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-parameter",
                                        name + " is not valid: " + rootCause(e).getMessage());
        problem.setProperty("field", name);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType().equals(URI.create("about:blank"))) {
            problem.setType(type(slug(HttpStatus.valueOf(statusCode.value()))));
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static String slug(HttpStatus status) {
        return status.getReasonPhrase().toLowerCase().replace(' ', '-');
    }

    private static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(code));
        problem.setTitle(title(code));
        return problem;
    }

    private static String title(String code) {
        String spaced = code.replace('-', ' ');
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    private static String message(FieldError error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
