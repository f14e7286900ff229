package org.stillpoint.directory.web;

import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.command.Accepted;
import org.stillpoint.platform.command.Commands;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.directory.KafkaDirectoryGate;
import org.stillpoint.platform.directory.OrganisationDirectory;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.platform.publication.KafkaEventPublisher;

import java.time.Duration;

/**
 * A change to the directory, answered once it counts everywhere: stored, on the directory topic (the publisher has
 * handled it: the broker acknowledged it), and in this service's own view — so every service, which reads the topic
 * to its end before it decides, decides the very next request on it.
 */
public class DirectoryWrites {

    private final Commands commands;
    private final ProcessingProgress progress;
    private final KafkaDirectoryGate gate;
    private final Duration wait;

    public DirectoryWrites(Commands commands, ProcessingProgress progress, KafkaDirectoryGate gate, Duration wait) {
        this.commands = commands;
        this.progress = progress;
        this.gate = gate;
        this.wait = wait;
    }

    /** Sends {@code command} and answers the organisation's directory once the change is on the topic and shown. */
    public OrganisationDirectory send(Object command, OrganisationId organisation) {
        Accepted<Object> accepted = commands.send(command);
        if (accepted.position() >= 0
                && !progress.awaitHandled(KafkaEventPublisher.PROCESSING_GROUP, accepted.position(), null, wait)) {
            throw Refusal.retryLater("directory-not-yet-published", null,
                                     "The change is stored but not yet on the directory topic; the services decide on "
                                             + "it once it is. Read the directory again shortly.");
        }
        return gate.readAgain(organisation);
    }

    /** The organisation's directory as this service's view holds it, read to the topic's end. */
    public OrganisationDirectory current(OrganisationId organisation) {
        return gate.current(organisation);
    }
}
