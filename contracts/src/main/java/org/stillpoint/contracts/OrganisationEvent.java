package org.stillpoint.contracts;

/**
 * An event that names its client's organisation itself. The others belong to the organisation their client was
 * registered in ({@code stillpoint.consent.client-registered}).
 */
public interface OrganisationEvent extends ClientEvent {

    /** The client's organisation; null when the event is about no registered client. */
    OrganisationId organisationId();
}
