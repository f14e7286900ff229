package org.stillpoint.audit.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.stillpoint.contracts.OrganisationId;

import java.time.Duration;
import java.util.Set;

/**
 * What a client sees of who looked at their record ({@code stillpoint.me.*}).
 *
 * @param accessesWithoutPerson the organisations that show the role and clinic of whoever looked, not the person
 * @param recipientsAfterErasure how long after their erasure a client still reads whom their data had been disclosed
 *                               to and whether each was told (GDPR Art. 19); zero: not at all
 */
@ConfigurationProperties("stillpoint.me")
public record ClientViewProperties(Set<String> accessesWithoutPerson, Duration recipientsAfterErasure) {

    public ClientViewProperties {
        accessesWithoutPerson = accessesWithoutPerson == null ? Set.of() : Set.copyOf(accessesWithoutPerson);
        recipientsAfterErasure = recipientsAfterErasure == null ? Duration.ofDays(90) : recipientsAfterErasure;
        if (recipientsAfterErasure.isNegative()) {
            throw new IllegalArgumentException("stillpoint.me.recipients-after-erasure must not be negative, was "
                    + recipientsAfterErasure);
        }
    }

    public boolean showsPerson(OrganisationId organisation) {
        return !accessesWithoutPerson.contains(organisation.toString());
    }
}
