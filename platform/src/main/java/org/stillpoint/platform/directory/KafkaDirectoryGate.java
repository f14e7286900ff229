package org.stillpoint.platform.directory;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.access.Clinics;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.platform.publication.KafkaEventPublisher;
import org.stillpoint.security.Caller;
import org.stillpoint.security.CallerCheck;
import org.stillpoint.security.Role;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who may act where, as the directory holds it now (DESIGN §10): a token says who the caller is; the directory says at
 * which clinics, in which roles, until when. Every request of a member of staff that reaches a controller is decided
 * here first, on this service's own view of the directory topic ({@link DirectoryViewListener}) read to the end the
 * topic had when the request arrived — so a membership ended a moment ago (its end answered once it was on the topic)
 * refuses the very next request, whatever the token still claims.
 * <ul>
 *   <li>a token claiming a clinic or a role no membership of the subject gives now is refused
 *       ({@code 403 claims-exceed-membership}) and logged as such;</li>
 *   <li>a subject whose every membership has ended or not begun is refused ({@code 403 membership-ended});</li>
 *   <li>a subject the organisation's directory never named, or an organisation with no directory, is handled as
 *       {@link UnknownCallers} says;</li>
 *   <li>a client's token is not staff and is not decided here (their own record's rules are {@code ClientAccess}'s);
 *       a token claiming a staff role beside {@code CLIENT} is decided on those roles like any member of staff's.</li>
 * </ul>
 * When the view cannot be shown current within {@code stillpoint.directory.max-wait}, or the directory is held for
 * repair, the request is refused as retryable ({@code 503}).
 * <p>
 * While the broker does not answer, no change to the directory can take effect either (directory-service answers a
 * change only once the broker has it): for {@code stillpoint.directory.outage-grace} after this instance last learned
 * where the topic ends, a request is decided on the view read at least that far, so writes go on through a broker
 * outage as they did before; the first such decision of an outage is said in the log. After the grace, or with no
 * end learned yet, the request is refused as retryable.
 */
public class KafkaDirectoryGate implements CallerCheck, Clinics {

    private static final Logger log = LoggerFactory.getLogger(KafkaDirectoryGate.class);
    private static final Duration POLL = Duration.ofMillis(10);
    /** How long a request waits for the broker to say where the topic ends. */
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(2);
    /** After the broker failed to answer, how long requests do not ask it again. */
    private static final Duration RETRY_BROKER = Duration.ofSeconds(1);

    private final Admin admin;
    private final MongoTemplate mongo;
    private final String topic;
    private final Duration wait;
    private final Quarantine quarantine;
    private final String group;
    private final UnknownCallers unknownCallers;
    private final Clock clock;
    private final Duration outageGrace;
    private volatile int partition = -1;
    private final Object endLock = new Object();
    private CompletableFuture<Long> endFetch;
    private long endFetchStarted;
    /** The last end of the partition the broker told, and when. */
    private volatile long knownEnd = -1;
    private volatile Instant knownAt;
    /** When the broker last failed to answer; null while it answers. */
    private volatile Long failedAt;
    private volatile boolean outageSaid;

    public KafkaDirectoryGate(Admin admin, MongoTemplate mongo, String topic, Duration wait, Quarantine quarantine,
                              String group, UnknownCallers unknownCallers, Clock clock) {
        this(admin, mongo, topic, wait, quarantine, group, unknownCallers, clock, Duration.ofMinutes(10));
    }

    /** @param outageGrace how long after the topic's end was last learned a request is decided on it while the broker does not answer */
    public KafkaDirectoryGate(Admin admin, MongoTemplate mongo, String topic, Duration wait, Quarantine quarantine,
                              String group, UnknownCallers unknownCallers, Clock clock, Duration outageGrace) {
        this.outageGrace = outageGrace;
        this.admin = admin;
        this.mongo = mongo;
        this.topic = topic;
        this.wait = wait;
        this.quarantine = quarantine;
        this.group = group;
        this.unknownCallers = unknownCallers;
        this.clock = clock;
        if (unknownCallers == UnknownCallers.TRUST_TOKEN) {
            log.warn("stillpoint.directory.unknown-callers is TRUST_TOKEN: members of staff the directory does not know "
                             + "are decided on their tokens' claims (each such request is logged)");
        }
    }

    @Override
    public Caller check(Caller caller) {
        if (caller.organisationId() == null || caller.roles().stream().allMatch(role -> role == Role.CLIENT)) {
            // no staff role: a client reaches their own record only, by its own rules
            return caller;
        }
        OrganisationDirectory directory = current(caller.organisationId());
        String subject = caller.subject();
        if (directory == null || !directory.knows(subject)) {
            if (unknownCallers == UnknownCallers.TRUST_TOKEN) {
                log.info("directory: {} of {} is not in the directory; decided on the token's claims "
                                 + "(stillpoint.directory.unknown-callers TRUST_TOKEN)", subject, caller.organisationId());
                return caller;
            }
            log.warn("directory: refused {} of {}: not in the organisation's directory (token claims clinics {} and "
                             + "roles {})", subject, caller.organisationId(), caller.clinics(), caller.roleNames());
            throw Refusal.forbidden("not-in-directory", null,
                                    "The organisation's directory has no membership for the caller; ask an "
                                            + "organisation admin for one.");
        }
        List<OrganisationDirectory.Membership> active = directory.activeFor(subject, clock.instant());
        if (active.isEmpty()) {
            log.warn("directory: refused {} of {}: no membership holds now (token claims clinics {} and roles {})",
                     subject, caller.organisationId(), caller.clinics(), caller.roleNames());
            throw Refusal.forbidden("membership-ended", null,
                                    "The caller's memberships of organisation " + caller.organisationId()
                                            + " have ended (or not begun); the token no longer reaches anything.");
        }
        List<String> exceeding = exceeding(caller, active);
        if (!exceeding.isEmpty()) {
            log.warn("directory: refused {} of {}: the token claims {} beyond the directory's memberships", subject,
                     caller.organisationId(), exceeding);
            throw Refusal.forbidden("claims-exceed-membership", null,
                                    "The caller's token claims " + String.join(", ", exceeding) + ", which the "
                                            + "organisation's directory does not give them now.")
                         .with("exceeding", exceeding);
        }
        return caller;
    }

    /** What the token claims that no membership gives now: clinics as {@code clinic:<id>}, roles as {@code role:<name>}. */
    private static List<String> exceeding(Caller caller, List<OrganisationDirectory.Membership> active) {
        List<String> exceeding = new ArrayList<>();
        for (ClinicId clinic : caller.clinics()) {
            if (active.stream().noneMatch(m -> clinic.toString().equals(m.clinicId()))) {
                exceeding.add("clinic:" + clinic);
            }
        }
        for (Role role : caller.roles()) {
            if (role == Role.CLIENT) {
                continue;
            }
            boolean given = active.stream().anyMatch(m -> m.roles().contains(role.name()));
            // a clinic's role is given at each clinic the token names
            boolean atEveryClinic = !(role == Role.PRACTITIONER || role == Role.CLINIC_ADMIN)
                    || caller.clinics().stream().allMatch(c -> active.stream().anyMatch(
                            m -> c.toString().equals(m.clinicId()) && m.roles().contains(role.name())));
            if (!given || !atEveryClinic) {
                exceeding.add("role:" + role.name());
            }
        }
        return exceeding;
    }

    @Override
    public void requireOpen(OrganisationId organisation, ClinicId clinicId, String field) {
        OrganisationDirectory directory = current(organisation);
        if (directory == null && unknownCallers == UnknownCallers.TRUST_TOKEN) {
            return;
        }
        Optional<OrganisationDirectory.Clinic> clinic = directory == null ? Optional.empty()
                : directory.clinic(clinicId.toString());
        if (clinic.isEmpty()) {
            throw Refusal.unprocessable("clinic-unknown", field, "Organisation " + organisation + " has no clinic "
                    + clinicId + " in its directory.");
        }
        if (!clinic.get().open()) {
            throw Refusal.unprocessable("clinic-closed", field, "Clinic " + clinicId + " was closed at "
                    + clinic.get().closedAt() + "; nothing new is recorded there.")
                         .with("closedAt", clinic.get().closedAt());
        }
    }

    /**
     * The organisation's directory, once this service's view has read the topic to its end at request time. Within one
     * web request it is read once: the caller's check and the clinic's share it.
     */
    public OrganisationDirectory current(OrganisationId organisation) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        String key = READ_IN_THIS_REQUEST + organisation;
        if (request != null && request.getAttribute(key, RequestAttributes.SCOPE_REQUEST) instanceof Optional<?> read) {
            return (OrganisationDirectory) read.orElse(null);
        }
        OrganisationDirectory directory = readToTheEnd(organisation);
        if (request != null) {
            request.setAttribute(key, Optional.ofNullable(directory), RequestAttributes.SCOPE_REQUEST);
        }
        return directory;
    }

    private static final String READ_IN_THIS_REQUEST = KafkaDirectoryGate.class.getName() + ".read.";

    /**
     * The organisation's directory read to the topic's end now, whatever this request read before: for a request that
     * changed it (directory-service's own writes).
     */
    public OrganisationDirectory readAgain(OrganisationId organisation) {
        OrganisationDirectory directory = readToTheEnd(organisation);
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null) {
            request.setAttribute(READ_IN_THIS_REQUEST + organisation, Optional.ofNullable(directory),
                                 RequestAttributes.SCOPE_REQUEST);
        }
        return directory;
    }

    private OrganisationDirectory readToTheEnd(OrganisationId organisation) {
        long arrived = System.nanoTime();
        long deadline = arrived + wait.toNanos();
        int partition = partition();
        long end = end(partition, arrived);
        while (true) {
            if (quarantine.isHeld(group, KafkaEventPublisher.OPERATIONS_KEY)) {
                throw Refusal.retryLater("directory-held", null,
                                         "A directory record could not be applied and is held for repair; no access is "
                                                 + "decided on an incomplete directory until an operator releases it.");
            }
            long read = readPosition(partition);
            if (read >= end) {
                return mongo.findById(organisation.toString(), OrganisationDirectory.class);
            }
            if (System.nanoTime() > deadline) {
                throw Refusal.retryLater("directory-view-behind", null,
                                         "This service's view of the directory has not caught up within "
                                                 + wait.toMillis() + " ms (read " + read + " of " + end
                                                 + " records); nothing was done, retry shortly.");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unverifiable(e);
            }
        }
    }

    /** Where the partition ends now, or while the broker does not answer, where it last ended within the grace. */
    private long end(int partition, long arrived) {
        try {
            long end = endOffset(partition, arrived);
            knownEnd = end;
            knownAt = clock.instant();
            if (failedAt != null) {
                failedAt = null;
                outageSaid = false;
                log.info("directory: the broker answers again; decisions read the directory topic to its end");
            }
            return end;
        } catch (Refusal unverifiable) {
            Instant learned = knownAt;
            if (learned == null || learned.plus(outageGrace).isBefore(clock.instant())) {
                throw unverifiable;
            }
            if (!outageSaid) {
                outageSaid = true;
                log.warn("directory: the broker does not answer; deciding on the directory as read to offset {} at {} "
                                 + "(no change to it can take effect while the broker is away)", knownEnd, learned);
            }
            return knownEnd;
        }
    }

    /** The partition of the directory's key: the producer's default partitioning of {@code operations}. */
    private int partition() {
        if (partition < 0) {
            try {
                int partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                                      .get(wait.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size();
                byte[] key = KafkaEventPublisher.OPERATIONS_KEY.getBytes(StandardCharsets.UTF_8);
                partition = Utils.toPositive(Utils.murmur2(key)) % partitions;
            } catch (ExecutionException | TimeoutException e) {
                throw unverifiable(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unverifiable(e);
            }
        }
        return partition;
    }

    /**
     * Where the partition ends, asked after {@code arrived}: requests that arrive while one question is on its way wait
     * for the next, which they share, so a burst of requests asks the broker about twice, not once each.
     */
    private long endOffset(int partition, long arrived) {
        CompletableFuture<Long> fetch;
        Long failed = failedAt;
        if (failed != null && System.nanoTime() - failed < RETRY_BROKER.toNanos()) {
            // the broker did not answer a moment ago: not every request waits for it to fail again
            throw unverifiable(new TimeoutException("the broker did not answer a moment ago"));
        }
        synchronized (endLock) {
            if (endFetch == null || endFetchStarted < arrived || endFetch.isCompletedExceptionally()) {
                endFetchStarted = System.nanoTime();
                TopicPartition topicPartition = new TopicPartition(topic, partition);
                endFetch = admin.listOffsets(Map.of(topicPartition, OffsetSpec.latest()))
                                .partitionResult(topicPartition).toCompletionStage().toCompletableFuture()
                                .thenApply(info -> info.offset());
            }
            fetch = endFetch;
        }
        try {
            return fetch.get(Math.min(wait.toMillis(), BROKER_TIMEOUT.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            failedAt = System.nanoTime();
            throw unverifiable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unverifiable(e);
        }
    }

    private long readPosition(int partition) {
        Document offset = mongo.findById(DirectoryViewListener.offsetKey(topic, partition), Document.class,
                                         DirectoryViewListener.OFFSETS);
        return offset == null ? 0 : ((Number) offset.get("next")).longValue();
    }

    private static Refusal unverifiable(Exception cause) {
        return Refusal.retryLater("directory-view-behind", null,
                                  "Cannot tell whether this service's view of the directory is current: the event "
                                          + "broker does not answer (" + cause.getClass().getSimpleName()
                                          + "); nothing was done, retry shortly.");
    }
}
