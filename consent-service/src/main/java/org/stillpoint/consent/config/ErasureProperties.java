package org.stillpoint.consent.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.stillpoint.contracts.OrganisationId;

import java.time.Period;
import java.util.Map;

/**
 * The retention rule erasure approvals are checked against (DESIGN §6b): how long an organisation keeps a client's
 * records after the client's last consent activity before an erasure may be approved without a legal override.
 *
 * @param retention     the period of every organisation not named in {@code organisations}
 * @param organisations an organisation's own period, by its id ({@code stillpoint.erasure.organisations.stillwater=P10Y})
 */
@ConfigurationProperties("stillpoint.erasure")
public record ErasureProperties(@DefaultValue("P7Y") Period retention, Map<String, Period> organisations) {

    public ErasureProperties {
        organisations = organisations == null ? Map.of() : Map.copyOf(organisations);
    }

    /** The retention period of {@code organisation}. */
    public Period retentionOf(OrganisationId organisation) {
        return organisations.getOrDefault(organisation.toString(), retention);
    }
}
