package org.stillpoint.audit.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.WebRequest;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.platform.web.ProblemDetailsAdvice;
import org.stillpoint.security.Caller;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the console answers a browser when it refuses a page: a page in words, with the console's header and its
 * sign-out (a practitioner who opens the console learns that it is not for their role, and can sign out). Any other
 * caller gets the API's problem document, naming the field.
 */
@ControllerAdvice(assignableTypes = Console.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleProblems {

    private final ProblemDetailsAdvice problems;
    private final ITemplateEngine pages;

    ConsoleProblems(ProblemDetailsAdvice problems, ITemplateEngine pages) {
        this.problems = problems;
        this.pages = pages;
    }

    /**
     * A browser gets a page for every outcome — a refusal, a request the console cannot read (a malformed id or
     * time), a page that does not exist, a failure of the service (500, logged, without its inner detail); any other
     * caller the API's problem document, naming the field.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<?> failed(Exception failure, HttpServletRequest request, WebRequest web) {
        ResponseEntity<Object> problem = failure instanceof Refusal refusal ? problems.refused(refusal)
                : standard(failure, web);
        if (!browser(request)) {
            return problem;
        }
        HttpStatus status = HttpStatus.valueOf(problem.getStatusCode().value());
        String detail = status.is5xxServerError()
                ? "Something failed on our side; nothing was changed by this page, and the failure is logged for the "
                        + "operators. Try again in a moment."
                : problem.getBody() instanceof ProblemDetail details && details.getDetail() != null
                        ? details.getDetail() : failure.getMessage();
        return page(status, title(status), detail, request);
    }

    /** The API's answer to a failure that is not a refusal: Spring MVC's own (400, 404, 405, …) or a 500. */
    private ResponseEntity<Object> standard(Exception failure, WebRequest web) {
        try {
            ResponseEntity<Object> answer = problems.handleException(failure, web);
            return answer != null ? answer : problems.unexpected(failure);
        } catch (Exception notSpringMvcs) {
            return problems.unexpected(failure);
        }
    }

    private static boolean browser(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains(MediaType.TEXT_HTML_VALUE);
    }

    private ResponseEntity<String> page(HttpStatus status, String title, String detail, HttpServletRequest request) {
        Map<String, Object> model = new HashMap<>();
        model.put("status", status.value());
        model.put("title", title);
        model.put("detail", detail);
        model.put("caller", caller().orElse(null));
        model.put("csrf", Optional.ofNullable(request.getHeader(Console.CSRF_HEADER)).orElse(""));
        String body = pages.process("console/problem", new Context(Locale.ENGLISH, model));
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                             .header("Content-Security-Policy", Console.CONTENT_SECURITY_POLICY)
                             .header("Cache-Control", "no-store").body(body);
    }

    static String title(HttpStatus status) {
        return switch (status.value()) {
            case 400 -> "This request cannot be answered";
            case 403 -> "Not for your role";
            case 404 -> "Not found";
            case 405 -> "This page cannot be used that way";
            case 410 -> "This record was erased";
            case 500 -> "Something went wrong";
            case 503 -> "Not available right now";
            default -> status.getReasonPhrase();
        };
    }

    private static Optional<Caller> caller() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token
                ? Optional.of(Caller.of(token.getToken())) : Optional.empty();
    }
}
