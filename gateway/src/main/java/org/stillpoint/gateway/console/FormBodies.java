package org.stillpoint.gateway.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.stillpoint.security.BufferedRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * A form posted from a console page, kept as it came: the servlet container parses a form body once, for whoever asks
 * for a parameter first (here the CSRF check), and the proxy to audit-service would then send it on empty. This reads
 * the body before anything else, answers the parameters from it ({@link BufferedRequest}), and leaves it for the
 * console's route ({@link #forwarded}), which sends it on without the CSRF token, and never in the query.
 */
class FormBodies extends OncePerRequestFilter {

    static final String BODY = FormBodies.class.getName() + ".body";
    /** The longest form a console page posts (a review's notes are at most 4,000 characters, encoded). */
    static final int LIMIT = 64 * 1024;

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getContentType() == null
                || !request.getContentType().startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)
                || !request.getRequestURI().startsWith(ConsoleSignIn.CONSOLE + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body = request.getInputStream().readNBytes(LIMIT + 1);
        if (body.length > LIMIT) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        request.setAttribute(BODY, body);
        chain.doFilter(new BufferedRequest(request, body), response);
    }

    /**
     * The request to send on to audit-service for {@code request}: its form, without the CSRF token, as its body, and
     * its parameters those of its query alone (the proxy writes a request's parameters into the query it sends on);
     * {@code request} itself when it posted no form.
     */
    static HttpServletRequest forwarded(HttpServletRequest request) {
        if (!(request.getAttribute(BODY) instanceof byte[] body)) {
            return request;
        }
        StringJoiner fields = new StringJoiner("&");
        for (String field : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (!field.isEmpty() && !field.startsWith(ConsoleSignIn.CSRF_PARAMETER + "=")) {
                fields.add(field);
            }
        }
        return new BufferedRequest(request, fields.toString().getBytes(StandardCharsets.UTF_8),
                                   BufferedRequest.fields(request.getQueryString(), ""));
    }
}
