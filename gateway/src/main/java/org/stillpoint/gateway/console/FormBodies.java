package org.stillpoint.gateway.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.stillpoint.security.BufferedRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
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
        byte[] form = fields.toString().getBytes(StandardCharsets.UTF_8);
        BufferedRequest sent = new BufferedRequest(request, form);
        Map<String, String[]> query = new BufferedRequest(new QueryOnly(request), new byte[0]).getParameterMap();
        return new HttpServletRequestWrapper(sent) {
            @Override
            public String getParameter(String name) {
                String[] values = query.get(name);
                return values == null || values.length == 0 ? null : values[0];
            }

            @Override
            public Map<String, String[]> getParameterMap() {
                return query;
            }

            @Override
            public Enumeration<String> getParameterNames() {
                return Collections.enumeration(query.keySet());
            }

            @Override
            public String[] getParameterValues(String name) {
                return query.get(name);
            }

            @Override
            public ServletInputStream getInputStream() {
                // a fresh stream at each call: the proxy asks whether a body is there, then reads it
                return new BufferedRequest(request, form).getInputStream();
            }
        };
    }

    /** The request as a form without a body: its parameters are its query's. */
    private static final class QueryOnly extends HttpServletRequestWrapper {

        QueryOnly(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return MediaType.APPLICATION_FORM_URLENCODED_VALUE;
        }
    }
}
