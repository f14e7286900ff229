package org.stillpoint.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.text.ParseException;
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

    /**
     * Keys for checking records, where "no such key" must mean the publisher said so: the keys are kept for 5 minutes
     * (and served for an hour while the publisher is away); a key id they lack fetches them again, unless a key id they
     * lacked did so less than 30 s ago — then that answer stands. When the publisher could not be reached, a key id the
     * kept keys lack fails with a {@link KeySourceException} — to be retried later — instead of answering "no such
     * key". Made-up key ids cost at most one fetch per 30 s.
     *
     * @throws IllegalArgumentException when {@code address} is not a URL
     */
    public static JWKSource<SecurityContext> confirming(String address) {
        try {
            return new Published(URI.create(address).toURL());
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(address + " is not a URL", e);
        }
    }

    /** A publisher's keys as it last gave them, and whether it could be asked when it last was. */
    private static final class Published implements JWKSource<SecurityContext> {

        private static final long KEPT = TimeUnit.MINUTES.toNanos(5);
        private static final long RECENT = TimeUnit.SECONDS.toNanos(30);
        private static final long OUTAGE = TimeUnit.HOURS.toNanos(1);
        private final URL url;
        private JWKSet keys;
        private long fetchedAt;
        private long missAskedAt;
        private boolean missAsked;
        private String failure;

        Published(URL url) {
            this.url = url;
        }

        @Override
        public synchronized List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            long now = System.nanoTime();
            if (keys == null || now - fetchedAt > KEPT) {
                ask(now);
            }
            List<JWK> found = keys == null || now - fetchedAt > OUTAGE ? List.of() : selector.select(keys);
            if (found.isEmpty() && (!missAsked || now - missAskedAt > RECENT)) {
                missAsked = true;
                missAskedAt = now;
                ask(now);
                found = keys == null ? List.of() : selector.select(keys);
            }
            if (found.isEmpty() && failure != null) {
                throw new KeySourceException(url + " could not be asked for its keys (" + failure + "); asked again "
                                                     + "within 30 s");
            }
            return found;
        }

        private void ask(long now) {
            try {
                keys = JWKSet.load(url, 2_000, 2_000, 512 * 1024);
                fetchedAt = now;
                failure = null;
            } catch (IOException | ParseException e) {
                failure = e.toString();
            }
        }
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
