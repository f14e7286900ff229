package org.stillpoint.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Bounds each token subject on this instance: a token bucket ({@code burst} at once, refilled at {@code perSecond}) and
 * at most {@code concurrent} requests in flight. Past either, {@code 429} problem details with {@code Retry-After}.
 * Every part has it — the gateway and every service, so a call that bypasses the gateway meets the same limits. Limits
 * are per instance: N instances let a subject make N times the rate (docs/SCALING.md).
 */
public class RateLimit extends OncePerRequestFilter {

    private final TokenProperties.RateLimit limit;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public RateLimit(TokenProperties.RateLimit limit, LongSupplier nanos) {
        this.limit = limit;
        this.nanos = nanos;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
            chain.doFilter(request, response);
            return;
        }
        String subject = token.getToken().getSubject();
        Bucket bucket = buckets.computeIfAbsent(subject, s -> new Bucket(limit.burst(), nanos.getAsLong()));
        double wait = bucket.take(nanos.getAsLong(), limit.burst(), limit.perSecond());
        if (wait > 0) {
            response.setHeader("Retry-After", Long.toString((long) Math.ceil(wait)));
            Problems.write(response, 429, "Too Many Requests", "rate-limited",
                           "Too many requests for this token; at most " + limit.burst() + " at once and "
                                   + limit.perSecond() + " per second. Retry after the time in Retry-After.");
            return;
        }
        AtomicInteger running = inFlight.computeIfAbsent(subject, s -> new AtomicInteger());
        if (running.incrementAndGet() > limit.concurrent()) {
            running.decrementAndGet();
            response.setHeader("Retry-After", "1");
            Problems.write(response, 429, "Too Many Requests", "too-many-at-once",
                           "Too many requests in flight for this token; at most " + limit.concurrent()
                                   + " at a time. Retry after the time in Retry-After.");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            running.decrementAndGet();
        }
    }

    /** Tokens left and when they were last counted. */
    private static final class Bucket {

        private double tokens;
        private long at;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.at = now;
        }

        /** Takes one token: 0 if there was one, else the seconds until there will be. */
        synchronized double take(long now, int burst, double perSecond) {
            tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return perSecond <= 0 ? 60 : (1 - tokens) / perSecond;
        }
    }
}
