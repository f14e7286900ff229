package org.stillpoint.audit.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.time.ZoneId;

/**
 * The compliance console's presentation ({@code stillpoint.console.*}).
 *
 * @param zone     the time zone the console shows times in (named beside each time) and reads dates in
 * @param pageSize how many timeline entries a page shows
 * @param reviewWithin how soon after it went out an emergency referral issued without consent is to be reviewed:
 *                     past it, the review is overdue (on the review queue and the ledger page)
 */
@ConfigurationProperties("stillpoint.console")
public record ConsoleProperties(@DefaultValue("UTC") ZoneId zone, @DefaultValue("50") int pageSize,
                                @DefaultValue("72h") Duration reviewWithin) {
}
