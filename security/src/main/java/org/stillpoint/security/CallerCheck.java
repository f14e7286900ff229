package org.stillpoint.security;

/**
 * What a service checks about a caller beyond their token, before any controller sees them: the platform's directory
 * (what the organisation's directory holds of the caller now). A service with such a bean hands its controllers only
 * callers that passed it.
 */
@FunctionalInterface
public interface CallerCheck {

    /** The caller to decide on; or an exception refusing the request (answered as problem details). */
    Caller check(Caller caller);
}
