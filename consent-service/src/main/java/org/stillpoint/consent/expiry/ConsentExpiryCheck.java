package org.stillpoint.consent.expiry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.stillpoint.consent.command.ExpireConsent;
import org.stillpoint.consent.query.ConsentExpiry;
import org.stillpoint.consent.query.ConsentQueries;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.platform.command.Commands;
import org.stillpoint.platform.problem.Refusal;

import java.time.Clock;

/**
 * Makes expiry happen by itself: at a fixed interval it records {@code ConsentExpired} for each active consent whose
 * expiry has come. A consent counts as expired from its expiry instant on, whether or not this check has run yet; the
 * event records that instant, not the time of the check.
 */
@Component
public class ConsentExpiryCheck {

    private static final Logger log = LoggerFactory.getLogger(ConsentExpiryCheck.class);

    private final ConsentQueries queries;
    private final Commands commands;
    private final Clock clock;

    public ConsentExpiryCheck(ConsentQueries queries, Commands commands, Clock clock) {
        this.queries = queries;
        this.commands = commands;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${stillpoint.consent.expiry-check-interval:30s}",
            initialDelayString = "${stillpoint.consent.expiry-check-interval:30s}")
    public void expireDueConsents() {
        for (ConsentExpiry due : queries.dueExpiries(clock.instant())) {
            try {
                commands.send(new ExpireConsent(ClientId.of(due.clientId()), ConsentId.of(due.consentId()),
                                                clock.instant()));
            } catch (Refusal refused) {
                log.debug("consent {} of client {} not expired: {}", due.consentId(), due.clientId(), refused.getMessage());
            }
        }
    }
}
