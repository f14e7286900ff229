package org.stillpoint.delivery.command;

import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.access.SubscriptionChange;
import org.stillpoint.contracts.access.SubscriptionChanged;
import org.stillpoint.delivery.command.Redeliveries.Redelivery;
import org.stillpoint.delivery.command.Subscription.Status;
import org.stillpoint.platform.crypto.ClientKeys;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.problem.Refusal;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * The webhook subscriptions of each organisation, and every act on them. Each act writes the subscription's document
 * from the version it read, then records {@link SubscriptionChanged} for the audit; when the record cannot be stored,
 * the document is put back, so nothing is half-done. The secret and the whole endpoint are sealed under the
 * subscription's own data key, which deleting the subscription shreds.
 */
public class Subscriptions {

    /** The services whose organisation topics a subscription may read. */
    static final Set<String> SERVICES = Set.of("consent", "session", "referral", "access", "directory");
    private static final int MOST_TYPES = 50;
    private static final int LONGEST_NAME = 100;
    private static final String TARGET = "target";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoTemplate mongo;
    private final FieldCipher cipher;
    private final ClientKeys keys;
    private final EventGateway events;
    private final EndpointGuard guard;
    private final Cursors cursors;
    private final Redeliveries redeliveries;
    private final Offsets offsets;
    private final Clock clock;

    public Subscriptions(MongoTemplate mongo, FieldCipher cipher, ClientKeys keys, EventGateway events,
                         EndpointGuard guard, Cursors cursors, Redeliveries redeliveries, Offsets offsets,
                         Clock clock) {
        this.mongo = mongo;
        this.cipher = cipher;
        this.keys = keys;
        this.events = events;
        this.guard = guard;
        this.cursors = cursors;
        this.redeliveries = redeliveries;
        this.offsets = offsets;
        this.clock = clock;
    }

    /** A subscription just registered, or given a new secret: the only time the secret is shown. */
    public record WithSecret(Subscription subscription, String secret) {
    }

    /**
     * Registers a subscription: delivery starts at {@code startFrom} (null: now) on every partition of the
     * organisation's topics of the types it asks for.
     */
    public WithSecret register(OrganisationId organisation, Actor actor, String name, String endpoint,
                               List<String> eventTypes, Instant startFrom) {
        String checkedName = name(name);
        URI uri = guard.check(endpoint);
        List<String> types = types(eventTypes);
        Instant now = clock.instant();
        if (startFrom != null && startFrom.isAfter(now)) {
            throw Refusal.unprocessable("start-in-the-future", "startFrom", "Delivery can start now or earlier.");
        }
        String id = UUID.randomUUID().toString();
        String secret = newSecret();
        Subscription subscription = new Subscription(id, organisation.toString(), checkedName, shown(uri),
                                                     cipher.sealJson(ClientId.of(id), TARGET, new Target(uri.toString(), secret)),
                                                     types, Status.ACTIVE, null, startFrom == null ? now : startFrom,
                                                     now, actor.subject(), now, 0);
        mongo.insert(subscription);
        try {
            record(subscription, SubscriptionChange.CREATED, null, actor, now);
        } catch (RuntimeException notRecorded) {
            mongo.remove(subscription);
            keys.shred(ClientId.of(id));
            throw notRecorded;
        }
        return new WithSecret(subscription, secret);
    }

    /** Changes a subscription's name, endpoint and event types (the secret stays). */
    public Subscription change(OrganisationId organisation, String id, Actor actor, String name, String endpoint,
                               List<String> eventTypes) {
        Subscription current = living(organisation, id);
        URI uri = guard.check(endpoint);
        Target target = target(current);
        Subscription changed = current.with(name(name), shown(uri),
                                            cipher.sealJson(ClientId.of(id), TARGET,
                                                            new Target(uri.toString(), target.secret())),
                                            types(eventTypes), clock.instant());
        return save(current, changed, SubscriptionChange.CHANGED, null, actor);
    }

    /** Gives a subscription a new signing secret; the old one signs nothing from now on. */
    public WithSecret rotateSecret(OrganisationId organisation, String id, Actor actor) {
        Subscription current = living(organisation, id);
        String secret = newSecret();
        Subscription changed = current.with(current.name(), current.endpoint(),
                                            cipher.sealJson(ClientId.of(id), TARGET,
                                                            new Target(target(current).url(), secret)),
                                            current.eventTypes(), clock.instant());
        return new WithSecret(save(current, changed, SubscriptionChange.SECRET_ROTATED, null, actor), secret);
    }

    public Subscription pause(OrganisationId organisation, String id, Actor actor) {
        Subscription current = living(organisation, id);
        if (current.status() != Status.ACTIVE) {
            throw Refusal.conflict("subscription-not-active", null, "The subscription is " + current.status() + ".");
        }
        return save(current, current.with(Status.PAUSED, null, clock.instant()), SubscriptionChange.PAUSED, null, actor);
    }

    /** Resumes a paused or disabled subscription where it stopped: nothing was skipped. */
    public Subscription resume(OrganisationId organisation, String id, Actor actor) {
        Subscription current = living(organisation, id);
        if (current.status() == Status.ACTIVE) {
            throw Refusal.conflict("subscription-active", null, "The subscription is delivering already.");
        }
        return save(current, current.with(Status.ACTIVE, null, clock.instant()), SubscriptionChange.RESUMED, null,
                    actor);
    }

    /** Deletes a subscription: nothing more is sent; its secret and endpoint are shredded; its log stays. */
    public Subscription delete(OrganisationId organisation, String id, Actor actor) {
        Subscription current = living(organisation, id);
        Subscription deleted = save(current, current.with(Status.DELETED, null, clock.instant()),
                                    SubscriptionChange.DELETED, null, actor);
        keys.shred(ClientId.of(id));
        return deleted;
    }

    /** The service pauses a subscription whose endpoint failed for the whole retry period. */
    public void pauseFailing(Subscription current, String lastAnswer) {
        stopByItself(current, Status.PAUSED_FAILING, SubscriptionChange.PAUSED_FAILING, lastAnswer);
    }

    /** The service disables a subscription whose endpoint answered 410 Gone. */
    public void disable(Subscription current, String lastAnswer) {
        stopByItself(current, Status.DISABLED, SubscriptionChange.DISABLED, lastAnswer);
    }

    private void stopByItself(Subscription read, Status status, SubscriptionChange change, String detail) {
        Subscription current = mongo.findById(read.id(), Subscription.class);
        if (current != null && current.delivering()) {
            save(current, current.with(status, detail, clock.instant()), change, detail, SubscriptionChanged.DELIVERY);
        }
    }

    /**
     * Replays a subscription: delivery starts again at {@code from} on every partition of its topics, or at the given
     * positions; records after it are sent again (with their {@code webhook-id}s, so a receiver that kept them skips
     * them).
     */
    public Subscription rewind(OrganisationId organisation, String id, Actor actor, Instant from,
                               Map<Partition, Long> positions) {
        Subscription current = living(organisation, id);
        if ((from == null) == (positions == null || positions.isEmpty())) {
            throw Refusal.invalid("replay-from-required", "from", "Give either a moment (from) or positions.");
        }
        Map<Partition, Long> where;
        String detail;
        if (from != null) {
            if (from.isAfter(clock.instant())) {
                throw Refusal.unprocessable("replay-from-the-future", "from", "A replay starts now or earlier.");
            }
            where = offsets.at(topics(current), from);
            detail = "from " + from;
        } else {
            Map<Partition, Long> ends = offsets.ends(topics(current));
            where = new LinkedHashMap<>();
            for (Map.Entry<Partition, Long> position : positions.entrySet()) {
                Long end = ends.get(position.getKey());
                if (end == null) {
                    throw Refusal.unprocessable("partition-not-subscribed", "positions",
                                                position.getKey().topic() + "/" + position.getKey().partition()
                                                        + " is not a partition of this subscription's topics.");
                }
                if (position.getValue() < 0 || position.getValue() > end) {
                    throw Refusal.unprocessable("position-out-of-range", "positions",
                                                "Offsets of " + position.getKey().topic() + "/"
                                                        + position.getKey().partition() + " run from 0 to " + end + ".");
                }
                where.put(position.getKey(), position.getValue());
            }
            detail = "from " + where.entrySet().stream().map(p -> p.getKey().topic() + "/" + p.getKey().partition()
                    + "@" + p.getValue()).sorted().toList();
        }
        record(current, SubscriptionChange.REWOUND, detail, actor, clock.instant());
        cursors.rewind(id, where);
        return current;
    }

    /** Asks for the records {@code from} to {@code to} (both included) of one partition to be sent again. */
    public Redelivery redeliver(OrganisationId organisation, String id, Actor actor, Partition partition, long from,
                                long to) {
        Subscription current = living(organisation, id);
        if (from < 0 || to < from || to - from >= 10_000) {
            throw Refusal.unprocessable("redelivery-range", "toOffset",
                                        "A redelivery is 1 to 10,000 records: fromOffset ≤ toOffset.");
        }
        Long end = offsets.ends(topics(current)).get(partition);
        if (end == null) {
            throw Refusal.unprocessable("partition-not-subscribed", "topic",
                                        partition.topic() + "/" + partition.partition()
                                                + " is not a partition of this subscription's topics.");
        }
        if (to >= end) {
            throw Refusal.unprocessable("redelivery-range", "toOffset",
                                        "The partition's last record is at offset " + (end - 1) + ".");
        }
        Instant now = clock.instant();
        Redelivery redelivery = new Redelivery(UUID.randomUUID().toString(), id, partition.topic(),
                                               partition.partition(), from, to, false, actor.subject(), now);
        record(current, SubscriptionChange.REDELIVERY_ASKED, partition.topic() + "/" + partition.partition() + "@" + from
                + (to > from ? ".." + to : ""), actor, now);
        redeliveries.ask(redelivery);
        return redelivery;
    }

    /** The organisation's subscription, deleted or not; another organisation's is not found. */
    public Subscription of(OrganisationId organisation, String id) {
        Subscription subscription = id == null ? null : mongo.findById(id, Subscription.class);
        if (subscription == null || !subscription.organisationId().equals(organisation.toString())) {
            throw Refusal.notFound("subscription-not-found", "subscriptionId",
                                   "No subscription " + id + " in organisation " + organisation + ".");
        }
        return subscription;
    }

    /** The organisation's subscriptions, the newest first. */
    public List<Subscription> of(OrganisationId organisation) {
        return mongo.find(query(where("organisationId").is(organisation.toString())), Subscription.class).stream()
                    .sorted(Comparator.comparing(Subscription::createdAt).reversed()).toList();
    }

    /** Every subscription that delivers now. */
    public List<Subscription> delivering() {
        return mongo.find(query(where("status").is(Status.ACTIVE.name())), Subscription.class);
    }

    /** How many subscriptions, of every organisation, are in {@code status}. */
    public long counted(Subscription.Status status) {
        return mongo.count(query(where("status").is(status.name())), Subscription.class);
    }

    public Subscription read(String id) {
        return mongo.findById(id, Subscription.class);
    }

    /** The whole endpoint and the secret; the caller holds them no longer than an attempt. */
    public Target target(Subscription subscription) {
        return cipher.of(subscription.id()).openJson(subscription.target(), TARGET, Target.class)
                     .orElseThrow(() -> new IllegalStateException("subscription " + subscription.id()
                             + " has no key: it was deleted"));
    }

    /** The organisation topics a subscription reads: {@code stillpoint.session.v1.<organisation>}, … */
    public static List<String> topics(Subscription subscription) {
        return subscription.services().stream()
                           .map(service -> "stillpoint." + service + ".v1." + subscription.organisationId()).toList();
    }

    private Subscription living(OrganisationId organisation, String id) {
        Subscription subscription = of(organisation, id);
        if (subscription.status() == Status.DELETED) {
            throw Refusal.gone("subscription-deleted", "subscriptionId", "The subscription was deleted.");
        }
        return subscription;
    }

    private Subscription save(Subscription current, Subscription changed, SubscriptionChange change, String detail,
                              Actor actor) {
        Query read = query(where("_id").is(current.id()).and("version").is(current.version()));
        if (mongo.findAndReplace(read, changed) == null) {
            throw Refusal.conflict("subscription-changed-meanwhile", null,
                                   "The subscription changed while this was asked; read it and ask again.");
        }
        try {
            record(changed, change, detail, actor, changed.changedAt());
        } catch (RuntimeException notRecorded) {
            mongo.findAndReplace(query(where("_id").is(current.id()).and("version").is(changed.version())), current);
            throw notRecorded;
        }
        return changed;
    }

    private void record(Subscription subscription, SubscriptionChange change, String detail, Actor actor, Instant at) {
        events.publish(new SubscriptionChanged(OrganisationId.of(subscription.organisationId()), subscription.id(),
                                               subscription.name(), subscription.endpoint(),
                                               subscription.eventTypes(), change, detail, actor, at));
    }

    private static String name(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.length() > LONGEST_NAME || stripped.chars().anyMatch(Character::isISOControl)) {
            throw Refusal.invalid("name-required", "name", "A name of 1 to " + LONGEST_NAME + " characters.");
        }
        return stripped;
    }

    /**
     * The types asked for: each a type an integrator reads on the organisation topics, or a service's every type
     * ({@code stillpoint.session.*}).
     */
    static List<String> types(List<String> eventTypes) {
        if (eventTypes == null || eventTypes.isEmpty() || eventTypes.size() > MOST_TYPES) {
            throw Refusal.invalid("event-types-required", "eventTypes",
                                  "Name 1 to " + MOST_TYPES + " event types (or stillpoint.<service>.*).");
        }
        List<String> types = new ArrayList<>();
        for (int i = 0; i < eventTypes.size(); i++) {
            String type = eventTypes.get(i) == null ? "" : eventTypes.get(i).strip();
            String[] parts = type.split("\\.");
            boolean wildcard = parts.length == 3 && parts[0].equals("stillpoint") && parts[2].equals("*")
                    && SERVICES.contains(parts[1]);
            boolean known = PublishedTypes.of(type).filter(t -> !PublishedTypes.offOrganisationTopics(t)).isPresent();
            if (!wildcard && !known) {
                throw Refusal.unprocessable("event-type-unknown", "eventTypes[" + i + "]",
                                            "'" + type + "' is not a type on the organisation topics (the AsyncAPI "
                                                    + "document lists them), nor stillpoint.<service>.*.");
            }
            if (!types.contains(type)) {
                types.add(type);
            }
        }
        return List.copyOf(types);
    }

    /** What records and answers show of an endpoint: scheme, host, port and path, never the query. */
    static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }
}
