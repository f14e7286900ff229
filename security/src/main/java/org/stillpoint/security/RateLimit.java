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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Bounds each token subject on this instance: a token bucket ({@code burst} at once, refilled at {@code perSecond}) and
 * at most {@code concurrent} requests in flight. Past either, {@code 429} problem details with {@code Retry-After}.
 * Every part has it — the gateway and every service, so a call that bypasses the gateway meets the same limits. Limits
 * are per instance: N instances let a subject make N times the rate (docs/SCALING.md). What is kept per subject is
 * bounded: a subject whose bucket has filled up again and who has nothing in flight is forgotten (a minute's sweep), as
 * they would start from a full bucket anyway.
 */
public class RateLimit extends OncePerRequestFilter {

    private static final long SWEEP = TimeUnit.MINUTES.toNanos(1);

    private final TokenProperties.RateLimit limit;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    public RateLimit(TokenProperties.RateLimit limit, LongSupplier nanos) {
        this.limit = limit;
        this.nanos = nanos;
        this.lastSweep = new AtomicLong(nanos.getAsLong());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
            chain.doFilter(request, response);
            return;
        }
        long now = nanos.getAsLong();
        sweep(now);
        String subject = token.getToken().getSubject();
        Bucket bucket;
        double wait;
        do {
            bucket = buckets.computeIfAbsent(subject, s -> new Bucket(limit.burst(), now));
            wait = bucket.take(now, limit.burst(), limit.perSecond());
        } while (Double.isNaN(wait));
        if (wait > 0) {
            response.setHeader("Retry-After", Long.toString((long) Math.ceil(wait)));
            Problems.write(response, 429, "Too Many Requests", "rate-limited",
                           "Too many requests for this token; at most " + limit.burst() + " at once and "
                                   + limit.perSecond() + " per second. Retry after the time in Retry-After.");
            return;
        }
        if (!bucket.enter(limit.concurrent())) {
            response.setHeader("Retry-After", "1");
            Problems.write(response, 429, "Too Many Requests", "too-many-at-once",
                           "Too many requests in flight for this token; at most " + limit.concurrent()
                                   + " at a time. Retry after the time in Retry-After.");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            bucket.leave();
        }
    }

    /** How many subjects this instance keeps state for. */
    int tracked() {
        return buckets.size();
    }

    /** Forgets, at most once a minute, every subject whose bucket is full again and who has nothing in flight. */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        for (String subject : buckets.keySet()) {
            buckets.computeIfPresent(subject, (s, bucket) -> bucket.retireIfIdle(now, limit.burst(), limit.perSecond())
                    ? null : bucket);
        }
    }

    /** Tokens left, when they were last counted, and requests in flight. */
    private static final class Bucket {

        private double tokens;
        private long at;
        private int inFlight;
        private boolean retired;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.at = now;
        }

        /** Takes one token: 0 if there was one, else the seconds until there will be; NaN when forgotten meanwhile. */
        synchronized double take(long now, int burst, double perSecond) {
            if (retired) {
                return Double.NaN;
            }
            tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return perSecond <= 0 ? 60 : (1 - tokens) / perSecond;
        }

        synchronized boolean enter(int concurrent) {
            if (inFlight >= concurrent) {
                return false;
            }
            inFlight++;
            return true;
        }

        synchronized void leave() {
            inFlight--;
        }

        /** Whether it is full again with nothing in flight: then it is retired, and a new one takes its place. */
        synchronized boolean retireIfIdle(long now, int burst, double perSecond) {
            if (inFlight == 0 && tokens + (now - at) / 1e9 * perSecond >= burst) {
                retired = true;
            }
            return retired;
        }
    }
}
