package org.stillpoint.audit.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.stillpoint.contracts.OrganisationId;

import java.util.Set;

/**
 * What a client sees of who looked at their record ({@code stillpoint.me.*}).
 *
 * @param accessesWithoutPerson the organisations that show the role and clinic of whoever looked, not the person
 */
@ConfigurationProperties("stillpoint.me")
public record ClientViewProperties(Set<String> accessesWithoutPerson) {

    public ClientViewProperties {
        accessesWithoutPerson = accessesWithoutPerson == null ? Set.of() : Set.copyOf(accessesWithoutPerson);
    }

    public boolean showsPerson(OrganisationId organisation) {
        return !accessesWithoutPerson.contains(organisation.toString());
    }
}
