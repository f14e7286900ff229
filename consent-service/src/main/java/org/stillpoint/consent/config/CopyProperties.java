package org.stillpoint.consent.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.stillpoint.contracts.OrganisationId;

import java.time.Period;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * How long an organisation has to answer a client's request for a copy of their record ({@code stillpoint.copies}):
 * 30 days by default (HIPAA 164.524's limit; GDPR Art. 12(3) asks for a month), an organisation's own by its id.
 *
 * The copy itself is made from parts, each a service's share of the record read under a copy grant
 * ({@code stillpoint.copies.parts.<part>}, a URL with {@code {requestId}}; {@code {self}} is this service):
 * {@code consents}, {@code sessions}, {@code referrals}, {@code accesses} and {@code disclosures}, all of them — a copy
 * is never produced from fewer.
 *
 * @param dueWithin      the time limit of every organisation not named in {@code organisations}
 * @param organisations  an organisation's own limit, by its id ({@code stillpoint.copies.organisations.stillwater=P14D})
 * @param availableFor   how long a produced copy can be downloaded
 * @param downloads      how many times it can be downloaded, in either form
 * @param parts          where each part of the record is fetched
 * @param partTimeout    how long a part's service may take to start answering
 * @param zone           the zone the readable document shows times in
 * @param checkInterval  how often the open requests are looked at
 */
@ConfigurationProperties("stillpoint.copies")
public record CopyProperties(@DefaultValue("P30D") Period dueWithin, Map<String, Period> organisations,
                             @DefaultValue("P14D") Period availableFor, @DefaultValue("5") int downloads,
                             Map<String, String> parts, @DefaultValue("PT1M") Duration partTimeout,
                             @DefaultValue("UTC") ZoneId zone, @DefaultValue("PT5S") Duration checkInterval) {

    /** The parts of a copy, in the order the copy holds them. */
    public static final List<String> PARTS = List.of("consents", "sessions", "referrals", "accesses", "disclosures");

    public CopyProperties {
        organisations = organisations == null ? Map.of() : Map.copyOf(organisations);
        parts = parts == null ? Map.of() : Map.copyOf(parts);
        if (availableFor.isNegative() || availableFor.isZero() || downloads < 1) {
            throw new IllegalArgumentException("stillpoint.copies: available-for must be positive, downloads at least 1");
        }
        if (dueWithin.isNegative() || dueWithin.isZero()
                || organisations.values().stream().anyMatch(p -> p.isNegative() || p.isZero())) {
            throw new IllegalArgumentException("stillpoint.copies: a time limit must be positive");
        }
    }

    /**
     * Where each part is fetched, in the copy's order; the parts not configured are named by the exception.
     *
     * @throws IllegalStateException naming the settings missing: no copy is produced from part of the record
     */
    public List<String> partAddresses() {
        List<String> missing = PARTS.stream().filter(p -> parts.get(p) == null || parts.get(p).isBlank()).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("stillpoint.copies.parts." + String.join(", stillpoint.copies.parts.", missing)
                                                    + " not set: a copy is made from every part of the record");
        }
        return PARTS.stream().map(parts::get).toList();
    }

    /** Where {@code part} is fetched; refused, naming every setting missing, unless every part's is set. */
    public String partAddress(String part) {
        return partAddresses().get(PARTS.indexOf(part));
    }

    /** The time limit of {@code organisation}. */
    public Period dueWithinOf(OrganisationId organisation) {
        return organisations.getOrDefault(organisation.toString(), dueWithin);
    }
}
