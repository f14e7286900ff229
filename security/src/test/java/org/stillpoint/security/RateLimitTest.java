package org.stillpoint.security;

import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitTest {

    private final AtomicLong now = new AtomicLong();

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aSubjectPastItsBurstWaitsForTheRefillAndOthersDoNot() throws Exception {
        RateLimit limit = new RateLimit(new TokenProperties.RateLimit(2, 1, 16), now::get);
        assertThat(call(limit, "pat", chain -> { }).getStatus()).isEqualTo(200);
        assertThat(call(limit, "pat", chain -> { }).getStatus()).isEqualTo(200);
        MockHttpServletResponse refused = call(limit, "pat", chain -> { });
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentAsString()).contains("urn:stillpoint:problem:rate-limited");
        assertThat(call(limit, "sam", chain -> { }).getStatus()).as("another subject").isEqualTo(200);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(call(limit, "pat", chain -> { }).getStatus()).as("refilled").isEqualTo(200);
    }

    @Test
    void aSubjectWithTooManyRequestsInFlightIsRefusedUntilOneEnds() throws Exception {
        RateLimit limit = new RateLimit(new TokenProperties.RateLimit(100, 100, 1), now::get);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<MockHttpServletResponse> slow = other.submit(() -> call(limit, "pat", chain -> {
                inside.countDown();
                release.await(10, TimeUnit.SECONDS);
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            MockHttpServletResponse refused = call(limit, "pat", chain -> { });
            assertThat(refused.getStatus()).isEqualTo(429);
            assertThat(refused.getContentAsString()).contains("urn:stillpoint:problem:too-many-at-once");
            assertThat(call(limit, "sam", chain -> { }).getStatus()).as("another subject").isEqualTo(200);
            release.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            assertThat(call(limit, "pat", chain -> { }).getStatus()).as("the slot is free again").isEqualTo(200);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void whatIsKeptPerSubjectIsForgottenOnceTheirBucketIsFullAgain() throws Exception {
        RateLimit limit = new RateLimit(new TokenProperties.RateLimit(5, 1, 4), now::get);
        for (int i = 0; i < 2_000; i++) {
            call(limit, "subject-" + i, chain -> { });
        }
        assertThat(limit.tracked()).isEqualTo(2_000);
        for (int i = 0; i < 5; i++) {
            call(limit, "busy", chain -> { });
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        assertThat(call(limit, "late", chain -> { }).getStatus()).isEqualTo(200);
        assertThat(limit.tracked()).as("only the subject just seen").isEqualTo(1);
        // forgetting changes nothing a subject can do: they start from a full bucket, as they would have
        for (int i = 0; i < 5; i++) {
            assertThat(call(limit, "busy", chain -> { }).getStatus()).isEqualTo(200);
        }
        assertThat(call(limit, "busy", chain -> { }).getStatus()).isEqualTo(429);
    }

    @Test
    void requestsWithoutAValidatedTokenAreLeftToTheTokenRules() throws Exception {
        RateLimit limit = new RateLimit(new TokenProperties.RateLimit(1, 0, 1), now::get);
        for (int i = 0; i < 3; i++) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            limit.doFilter(new MockHttpServletRequest("GET", "/actuator/health/readiness"), response, (q, r) -> { });
            assertThat(response.getStatus()).isEqualTo(200);
        }
    }

    private interface Work {
        void run(FilterChain chain) throws Exception;
    }

    private static MockHttpServletResponse call(RateLimit limit, String subject, Work work) throws Exception {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "ES256").subject(subject).issuedAt(Instant.EPOCH)
                     .expiresAt(Instant.EPOCH.plusSeconds(60)).build();
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt));
        try {
            MockHttpServletResponse response = new MockHttpServletResponse();
            limit.doFilter(new MockHttpServletRequest("GET", "/api/clients"), response, (request, r) -> {
                try {
                    work.run(null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            return response;
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
