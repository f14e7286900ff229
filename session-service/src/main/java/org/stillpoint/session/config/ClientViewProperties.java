package org.stillpoint.session.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.stillpoint.contracts.OrganisationId;

import java.util.Set;

/**
 * What a client sees of their own sessions ({@code stillpoint.me.*}).
 *
 * @param sessionNotes the organisations that show their clients the session notes; none by default
 */
@ConfigurationProperties("stillpoint.me")
public record ClientViewProperties(Set<String> sessionNotes) {

    public ClientViewProperties {
        sessionNotes = sessionNotes == null ? Set.of() : Set.copyOf(sessionNotes);
    }

    public boolean showsNotes(OrganisationId organisation) {
        return sessionNotes.contains(organisation.toString());
    }
}
