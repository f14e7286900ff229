package org.stillpoint.delivery.command;

import org.stillpoint.platform.problem.Refusal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may be sent (server-side request forgery): an absolute {@code https} address without credentials,
 * whose host is on the configured allow-list (when there is one) and resolves only to public addresses — never
 * loopback, private, link-local (cloud metadata), carrier-grade NAT, unique-local or multicast ones. The local profile
 * allows loopback and plain {@code http}, for receivers on the developer's machine. Checked when a subscription is
 * registered or changed, and again before every attempt (an address can resolve elsewhere later).
 *
 * @param allowedHosts  hosts an endpoint may name ({@code *.example.org} for a domain's); empty: any public host
 */
public record EndpointGuard(List<String> allowedHosts, boolean allowLoopback, boolean allowHttp) {

    public EndpointGuard {
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty())
                              .map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** The endpoint as a URI, or a {@code 422 endpoint-not-allowed} naming the field and why. */
    public URI check(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint == null ? "" : endpoint.strip());
        } catch (URISyntaxException e) {
            throw refused("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw refused(allowHttp ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("must not carry a user name or password (put a token in the query instead)");
        }
        if (uri.getRawFragment() != null) {
            throw refused("must not have a fragment");
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || host.isEmpty()) {
            throw refused("names no host");
        }
        if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(allowed -> matches(allowed, host))) {
            throw refused("names a host that is not on this deployment's allow-list");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw refused("names a host that does not resolve");
        }
        for (InetAddress address : addresses) {
            String why = notPublic(address);
            if (why != null && !(allowLoopback && address.isLoopbackAddress())) {
                throw refused("resolves to " + why + " address " + address.getHostAddress());
            }
        }
        return uri;
    }

    private static boolean matches(String allowed, String host) {
        return allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : allowed.equals(host);
    }

    /** Why an address is not one a webhook may reach, or null when it is public. */
    static String notPublic(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "a loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "a private";
        }
        if (address.isMulticastAddress()) {
            return "a multicast";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || (first == 198 && (second & 0xfe) == 18)) {
                return "a reserved";
            }
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "a unique-local";
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return notPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return "an unreadable";
                }
            }
        }
        return null;
    }

    private static Refusal refused(String why) {
        return Refusal.unprocessable("endpoint-not-allowed", "endpoint", "The endpoint " + why + ".");
    }
}
