package org.stillpoint.gateway;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.security.Role;
import org.stillpoint.security.TokenMinter;
import org.stillpoint.security.TokenProperties;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The local stack's token issuer (DESIGN §7), in the {@code local} profile only: {@code POST /dev/tokens} mints a token
 * for the claims asked for, signed by a key made at start-up, whose JWKS ({@code GET /dev/jwks.json}) the services of
 * the local profile trust. In any other profile none of this exists.
 */
@Profile("local")
@Configuration(proxyBeanMethods = false)
class DevTokens {

    static final Duration DEFAULT_LIFETIME = Duration.ofHours(8);

    @Bean
    TokenMinter devTokenMinter(TokenProperties tokens) {
        return TokenMinter.generate(tokens.issuer(), tokens.audience());
    }

    /** The claims asked for. */
    record TokenRequest(String subject, String organisation, List<String> clinics, List<String> roles,
                        Long expiresIn, String client) {
    }

    /** Found by component scanning, hence its own profile condition. */
    @Profile("local")
    @RestController
    static class DevTokenEndpoints {

        private final TokenMinter minter;

        DevTokenEndpoints(TokenMinter minter) {
            this.minter = minter;
        }

        @PostMapping("/dev/tokens")
        ResponseEntity<?> mint(@RequestBody TokenRequest request, HttpServletRequest http) {
            if (!loopback(http.getRemoteAddr()) || proxied(http)) {
                // the local profile listens on loopback; behind a proxy (a local reverse proxy makes every caller
                // loopback, and says so in Forwarded or X-Forwarded-*), or on another binding, nobody else mints tokens
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                                                                         "Dev tokens are minted for this machine only.");
                problem.setType(URI.create("urn:stillpoint:problem:dev-tokens-loopback-only"));
                problem.setTitle("Forbidden");
                return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                                     .body(problem);
            }
            if (request.subject() == null || request.subject().isBlank()) {
                return invalid("subject", "subject is required");
            }
            if (request.organisation() == null || !ClinicId.isCode(request.organisation())) {
                return invalid("organisation", "organisation must be 1-63 lower-case letters, digits or dashes");
            }
            List<String> clinics = request.clinics() == null ? List.of() : request.clinics();
            for (int i = 0; i < clinics.size(); i++) {
                if (!ClinicId.isCode(clinics.get(i))) {
                    return invalid("clinics[" + i + "]", "each clinic must be 1-63 lower-case letters, digits or dashes");
                }
            }
            List<String> roles = request.roles() == null ? List.of() : request.roles();
            if (roles.isEmpty()) {
                return invalid("roles", "at least one role is required: " + Arrays.toString(Role.values()));
            }
            for (int i = 0; i < roles.size(); i++) {
                String role = roles.get(i);
                if (Arrays.stream(Role.values()).noneMatch(r -> r.name().equals(role))) {
                    return invalid("roles[" + i + "]", "unknown role; one of " + Arrays.toString(Role.values()));
                }
            }
            long seconds = request.expiresIn() == null ? DEFAULT_LIFETIME.toSeconds() : request.expiresIn();
            if (seconds < 1 || seconds > Duration.ofDays(1).toSeconds()) {
                return invalid("expiresIn", "expiresIn must be between 1 and 86400 seconds");
            }
            boolean client = roles.contains(Role.CLIENT.name());
            if (client && (roles.size() > 1 || request.client() == null || !ClientId.isId(request.client()))) {
                return invalid("client", "a CLIENT token names the client it is about (\"client\": their client id) "
                        + "and has no other role");
            }
            if (!client && request.client() != null) {
                return invalid("client", "only a CLIENT token names a client");
            }
            String token = client
                    ? minter.mintClient(request.subject(), request.organisation(), request.client(),
                                        Duration.ofSeconds(seconds))
                    : minter.mint(request.subject(), request.organisation(), clinics, roles, Duration.ofSeconds(seconds));
            return ResponseEntity.ok(Map.of("access_token", token, "token_type", "Bearer", "expires_in", seconds));
        }

        @GetMapping(value = "/dev/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
        Map<String, Object> jwks() {
            return minter.jwks();
        }

        /** Whether the request came through a proxy that says so: then its remote address is the proxy's, not the caller's. */
        private static boolean proxied(HttpServletRequest http) {
            return http.getHeader("Forwarded") != null || http.getHeader("X-Forwarded-For") != null
                    || http.getHeader("X-Forwarded-Host") != null || http.getHeader("X-Real-IP") != null;
        }

        private static boolean loopback(String address) {
            try {
                return address != null && InetAddress.getByName(address).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        private static ResponseEntity<ProblemDetail> invalid(String field, String detail) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
            problem.setType(URI.create("urn:stillpoint:problem:invalid-request"));
            problem.setTitle("Invalid request");
            problem.setProperty("field", field);
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
    }
}
