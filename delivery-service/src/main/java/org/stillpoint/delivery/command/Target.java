package org.stillpoint.delivery.command;

import java.net.URI;

/**
 * What a subscription keeps sealed: the whole endpoint, query included, and the Standard Webhooks signing secret
 * ({@code whsec_} and the base64 of 32 random bytes).
 */
public record Target(String url, String secret) {

    public URI uri() {
        return URI.create(url);
    }

    @Override
    public String toString() {
        return "Target[sealed]";
    }
}
