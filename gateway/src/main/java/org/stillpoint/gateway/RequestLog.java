package org.stillpoint.gateway;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * One log line per request: method, path (no query), status, subject and time. Never a body, a query string or a
 * token: clinical text and credentials stay out of the logs.
 */
class RequestLog extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger("org.stillpoint.gateway.requests");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            String subject = SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken t
                    ? t.getToken().getSubject() : "-";
            log.info("{} {} {} {} {}ms", request.getMethod(), request.getRequestURI(), response.getStatus(), subject,
                     (System.nanoTime() - start) / 1_000_000);
        }
    }
}
