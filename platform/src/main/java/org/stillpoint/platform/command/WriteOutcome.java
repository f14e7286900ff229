package org.stillpoint.platform.command;

import jakarta.servlet.ServletRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.net.URI;

/**
 * What a request is known to have written, so that an error after that point is answered truthfully: a write that was
 * stored is never answered "nothing was recorded", and one whose outcome is unknown is never run again by a retry.
 */
public final class WriteOutcome {

    private static final String STORED = WriteOutcome.class.getName() + ".stored";
    private static final String UNKNOWN = WriteOutcome.class.getName() + ".unknown";

    private WriteOutcome() {
    }

    /** The request's command was stored; its resource is at {@code location}. */
    public static void stored(URI location) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null) {
            request.setAttribute(STORED, location, RequestAttributes.SCOPE_REQUEST);
        }
    }

    /** Where the request's stored write is read, or null when it stored nothing (yet). */
    public static URI storedLocation() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        return request == null ? null : (URI) request.getAttribute(STORED, RequestAttributes.SCOPE_REQUEST);
    }

    /** The request may or may not have been stored. */
    public static void unknown() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null) {
            request.setAttribute(UNKNOWN, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
        }
    }

    /** Whether {@link #unknown()} was said of the request, by its attribute (for filters, outside the request context). */
    public static boolean isUnknown(ServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(UNKNOWN));
    }
}
