package org.stillpoint.consent.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.stillpoint.contracts.OrganisationId;

import java.time.Period;
import java.util.Map;

/**
 * How long an organisation has to answer a client's request for a copy of their record ({@code stillpoint.copies}):
 * 30 days by default (HIPAA 164.524's limit; GDPR Art. 12(3) asks for a month), an organisation's own by its id.
 *
 * @param dueWithin     the time limit of every organisation not named in {@code organisations}
 * @param organisations an organisation's own limit, by its id ({@code stillpoint.copies.organisations.stillwater=P14D})
 */
@ConfigurationProperties("stillpoint.copies")
public record CopyProperties(@DefaultValue("P30D") Period dueWithin, Map<String, Period> organisations) {

    public CopyProperties {
        organisations = organisations == null ? Map.of() : Map.copyOf(organisations);
        if (dueWithin.isNegative() || dueWithin.isZero()
                || organisations.values().stream().anyMatch(p -> p.isNegative() || p.isZero())) {
            throw new IllegalArgumentException("stillpoint.copies: a time limit must be positive");
        }
    }

    /** The time limit of {@code organisation}. */
    public Period dueWithinOf(OrganisationId organisation) {
        return organisations.getOrDefault(organisation.toString(), dueWithin);
    }
}
