package org.stillpoint.gateway;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
import org.stillpoint.security.Problems;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per token subject: a burst, then a steady rate. Over it, {@code 429} problem details with
 * {@code Retry-After}. Runs after the token was validated, so the subject is one the issuer vouched for.
 */
class RateLimit extends OncePerRequestFilter {

    private final int burst;
    private final double perSecond;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimit(GatewayProperties.RateLimit limit, LongSupplier nanos) {
        this.burst = limit.burst();
        this.perSecond = limit.perSecond();
        this.nanos = nanos;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token) {
            Bucket bucket = buckets.computeIfAbsent(token.getToken().getSubject(), s -> new Bucket(burst, nanos.getAsLong()));
            double wait = bucket.take(nanos.getAsLong(), burst, perSecond);
            if (wait > 0) {
                response.setHeader("Retry-After", Long.toString((long) Math.ceil(wait)));
                Problems.write(response, 429, "Too Many Requests", "rate-limited",
                               "Too many requests for this token; at most " + burst + " at once and " + perSecond
                                       + " per second. Retry after the time in Retry-After.");
                return;
            }
        }
        chain.doFilter(request, response);
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
