package org.stillpoint.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Public keys fetched from a JWKS address, as every part of Stillpoint fetches them — the identity provider's for
 * tokens, each service's for its records: cached for 5 minutes; a key id the cache does not know refreshes it at most
 * twice per 30 s, so made-up key ids cannot hammer the publisher; while it is away the last keys serve for an hour.
 * Past the rate limit an unknown key id matches no key (the token or record is refused, the caller does not fail).
 */
public final class RemoteKeys {

    private RemoteKeys() {
    }

    /** @throws IllegalArgumentException when {@code address} is not a URL */
    public static JWKSource<SecurityContext> at(String address) {
        JWKSource<SecurityContext> fetched;
        try {
            fetched = JWKSourceBuilder.<SecurityContext>create(URI.create(address).toURL())
                                      .cache(TimeUnit.MINUTES.toMillis(5), TimeUnit.SECONDS.toMillis(15))
                                      .rateLimited(TimeUnit.SECONDS.toMillis(30))
                                      .outageTolerant(TimeUnit.HOURS.toMillis(1))
                                      .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(address + " is not a URL", e);
        }
        return (selector, context) -> {
            try {
                return fetched.get(selector, context);
            } catch (RateLimitReachedException e) {
                return List.of();
            }
        };
    }
}
