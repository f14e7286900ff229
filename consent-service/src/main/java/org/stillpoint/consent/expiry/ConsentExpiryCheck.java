package org.stillpoint.consent.expiry;

import org.axonframework.eventhandling.Segment;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.stillpoint.consent.command.ExpireConsent;
import org.stillpoint.consent.query.ClientConsentsProjection;
import org.stillpoint.consent.query.ConsentExpiry;
import org.stillpoint.consent.query.ConsentQueries;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.platform.command.Commands;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.problem.Refusal;

import java.time.Clock;
import java.util.List;

/**
 * Makes expiry happen by itself: at a fixed interval it records {@code ConsentExpired} for each active consent whose
 * expiry has come. A consent counts as expired from its expiry instant on, whether or not this check has run yet; the
 * event records that instant, not the time of the check.
 * <p>
 * With several instances, each checks the consents of the clients whose segments of the consents projection it
 * processes (the projection's sequencing is the client id), so each consent is checked by one instance; a race at a
 * segment's hand-over ends in the aggregate, which stores one expiry and refuses the other. A consent that cannot be
 * expired is logged and tried again next round; the round goes on with the others.
 */
@Component
record ConsentExpiryCheck(ConsentQueries queries, Commands commands, Clock clock,
                          ProcessingProgress progress) {

    private static final Logger log = LoggerFactory.getLogger(ConsentExpiryCheck.class);

    @Scheduled(fixedDelayString = "${stillpoint.consent.expiry-check-interval:30s}",
            initialDelayString = "${stillpoint.consent.expiry-check-interval:30s}")
    public void expireDueConsents() {
        List<Segment> mine = progress.segmentsHere(ClientConsentsProjection.PROCESSOR);
        if (mine.isEmpty()) {
            return;
        }
        for (ConsentExpiry due : queries.dueExpiries(clock.instant())) {
            if (mine.stream().noneMatch(segment -> segment.matches(due.clientId()))) {
                continue;
            }
            try {
                commands.send(new ExpireConsent(ClientId.of(due.clientId()), ConsentId.of(due.consentId()),
                                                clock.instant()));
            } catch (Refusal | ConcurrencyException refused) {
                log.debug("consent {} of client {} not expired: {}", due.consentId(), due.clientId(), refused.getMessage());
            } catch (RuntimeException failed) {
                // one consent that cannot be expired (a damaged document, a store hiccup) stops no other's expiry:
                // it is tried again next round
                log.warn("consent {} of client {} could not be expired this round: {}", due.consentId(), due.clientId(),
                         failed.toString());
            }
        }
    }
}
