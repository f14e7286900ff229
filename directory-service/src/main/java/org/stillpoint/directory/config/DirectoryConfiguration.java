package org.stillpoint.directory.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.directory.DirectoryEvent;
import org.stillpoint.directory.command.DirectoryCommands.GrantMembership;
import org.stillpoint.directory.command.DirectoryCommands.OpenClinic;
import org.stillpoint.directory.command.DirectoryCommands.SeedDirectory;
import org.stillpoint.directory.web.DirectoryWrites;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.command.Accepted;
import org.stillpoint.platform.command.Commands;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.directory.KafkaDirectoryGate;
import org.stillpoint.platform.publication.KafkaEventPublisher;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** directory-service's parts: its writes, and the seed applied at start-up. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DirectoryProperties.class)
class DirectoryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DirectoryConfiguration.class);

    /** directory-service reads no client's record: it knows no client. */
    @Bean
    ClientDirectory noClients() {
        return clientId -> Optional.empty();
    }

    @Bean
    DirectoryWrites directoryWrites(Commands commands, ProcessingProgress processingProgress,
                                    KafkaDirectoryGate directoryGate) {
        return new DirectoryWrites(commands, processingProgress, directoryGate, Duration.ofSeconds(10));
    }

    /**
     * The seed: each organisation of {@code stillpoint.directory.seed} that has no directory yet gets its clinics and
     * members, by {@code system/directory-seed}; one that has a directory is left as it is (the seed never undoes what
     * its admins changed). Several instances starting together store it once: the others' appends conflict and are
     * said in the log. The service is ready only once the seed is on the directory topic (at most 30 s), so the first
     * admin is known to every service before the first request.
     */
    @Bean
    ApplicationRunner directorySeed(DirectoryProperties properties, Commands commands, Clock clock,
                                    ProcessingProgress processingProgress) {
        return arguments -> {
            for (DirectoryProperties.SeedOrganisation organisation : properties.seed()) {
                OrganisationId id = OrganisationId.of(organisation.organisation());
                Instant now = clock.instant();
                try {
                    Accepted<Object> seeded = commands.send(new SeedDirectory(
                            id,
                            organisation.clinics().stream().map(c -> new OpenClinic(
                                    id, ClinicId.of(c.id()), c.name(), now, DirectoryEvent.SEED)).toList(),
                            organisation.members().stream().map(m -> new GrantMembership(
                                    id, UUID.randomUUID().toString(), m.subject(),
                                    m.clinic() == null ? null : ClinicId.of(m.clinic()), m.roles(), now, null, now,
                                    DirectoryEvent.SEED)).toList()));
                    if (seeded.position() >= 0 && !processingProgress.awaitHandled(
                            KafkaEventPublisher.PROCESSING_GROUP, seeded.position(), null, Duration.ofSeconds(30))) {
                        log.warn("directory seed of {} stored but not yet on the directory topic", id);
                    }
                } catch (RuntimeException e) {
                    log.warn("directory seed of {} not applied: {}", id, e.toString());
                }
            }
        };
    }
}
