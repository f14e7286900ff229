package org.stillpoint.delivery.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.delivery.command.Partition;
import org.stillpoint.delivery.command.Subscription;
import org.stillpoint.delivery.command.Subscriptions;
import org.stillpoint.delivery.query.DeliveryLog;
import org.stillpoint.delivery.query.DeliveryLog.Attempt;
import org.stillpoint.delivery.web.WebhookAnswers.Asked;
import org.stillpoint.delivery.web.WebhookAnswers.Deliveries;
import org.stillpoint.delivery.web.WebhookAnswers.SubscriptionAnswer;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An organisation's webhook subscriptions over HTTP (DESIGN §10, docs/INTEGRATORS.md "Webhooks"). A compliance
 * officer decides what leaves the organisation: registers, changes, pauses, resumes and deletes subscriptions and
 * gives them new secrets. The organisation's integrators and its officers read them and their delivery log, and ask
 * for redeliveries and replays, which send nothing a subscription does not already send. Everything is of the
 * caller's own organisation; another's subscription is not found.
 */
@RestController
record WebhookController(Subscriptions subscriptions, DeliveryLog log) {

    private static final int PAGE = 100;

    @PostMapping("/api/webhooks")
    public ResponseEntity<SubscriptionAnswer> register(Caller caller, @RequestBody WebhookRequests.Subscribe request,
                                                       UriComponentsBuilder uri) {
        OrganisationId organisation = manager(caller);
        Subscriptions.WithSecret made = subscriptions.register(organisation, caller.actor(), request.name(),
                                                               request.endpoint(), request.eventTypes(),
                                                               request.startFrom());
        URI location = uri.cloneBuilder().path("/api/webhooks/{id}").build(made.subscription().id());
        return ResponseEntity.created(location).body(SubscriptionAnswer.of(made.subscription(), made.secret()));
    }

    @GetMapping("/api/webhooks")
    public WebhookAnswers.Subscriptions list(Caller caller) {
        return new WebhookAnswers.Subscriptions(subscriptions.of(reader(caller)).stream()
                                                             .map(s -> SubscriptionAnswer.of(s, null)).toList());
    }

    @GetMapping("/api/webhooks/{id}")
    public SubscriptionAnswer read(Caller caller, @PathVariable String id) {
        return SubscriptionAnswer.of(subscriptions.of(reader(caller), id), null);
    }

    @PutMapping("/api/webhooks/{id}")
    public SubscriptionAnswer change(Caller caller, @PathVariable String id,
                                     @RequestBody WebhookRequests.Subscribe request) {
        if (request.startFrom() != null) {
            throw Refusal.invalid("start-not-changeable", "startFrom",
                                  "Where delivery starts is set once; a replay moves it (POST …/replay).");
        }
        return SubscriptionAnswer.of(subscriptions.change(manager(caller), id, caller.actor(), request.name(),
                                                          request.endpoint(), request.eventTypes()), null);
    }

    @PostMapping("/api/webhooks/{id}/secret")
    public SubscriptionAnswer rotateSecret(Caller caller, @PathVariable String id) {
        Subscriptions.WithSecret rotated = subscriptions.rotateSecret(manager(caller), id, caller.actor());
        return SubscriptionAnswer.of(rotated.subscription(), rotated.secret());
    }

    @PostMapping("/api/webhooks/{id}/pause")
    public SubscriptionAnswer pause(Caller caller, @PathVariable String id) {
        return SubscriptionAnswer.of(subscriptions.pause(manager(caller), id, caller.actor()), null);
    }

    @PostMapping("/api/webhooks/{id}/resume")
    public SubscriptionAnswer resume(Caller caller, @PathVariable String id) {
        return SubscriptionAnswer.of(subscriptions.resume(manager(caller), id, caller.actor()), null);
    }

    @DeleteMapping("/api/webhooks/{id}")
    public SubscriptionAnswer delete(Caller caller, @PathVariable String id) {
        return SubscriptionAnswer.of(subscriptions.delete(manager(caller), id, caller.actor()), null);
    }

    /** The delivery log, the newest attempt first; {@code webhookId} for one message's attempts. */
    @GetMapping("/api/webhooks/{id}/deliveries")
    public Deliveries deliveries(Caller caller, @PathVariable String id,
                                 @RequestParam(required = false) String webhookId,
                                 @RequestParam(required = false) Instant before,
                                 @RequestParam(defaultValue = "" + PAGE) int limit) {
        Subscription subscription = subscriptions.of(reader(caller), id);
        if (limit < 1 || limit > PAGE) {
            throw Refusal.invalid("limit-out-of-range", "limit", "A page holds 1 to " + PAGE + " attempts.");
        }
        List<Attempt> attempts = log.of(subscription.id(), webhookId, before, limit);
        String next = attempts.size() < limit ? null
                : "/api/webhooks/" + id + "/deliveries?limit=" + limit + "&before=" + attempts.getLast().at()
                        + (webhookId == null ? "" : "&webhookId=" + webhookId);
        return new Deliveries(subscription.id(), attempts, next);
    }

    /** Sends again one message (by its {@code webhook-id}) or a stretch of one partition; the position stays. */
    @PostMapping("/api/webhooks/{id}/redeliveries")
    public ResponseEntity<Asked> redeliver(Caller caller, @PathVariable String id,
                                           @RequestBody WebhookRequests.Redeliver request) {
        OrganisationId organisation = reader(caller);
        Partition partition;
        long from;
        long to;
        if (request.webhookId() != null) {
            Attempt attempt = log.latest(subscriptions.of(organisation, id).id(), request.webhookId())
                                 .orElseThrow(() -> Refusal.notFound("message-not-found", "webhookId",
                                                                     "No delivery of " + request.webhookId()
                                                                             + " in this subscription's log."));
            partition = new Partition(attempt.topic(), attempt.partition());
            from = attempt.offset();
            to = attempt.offset();
        } else {
            partition = new Partition(required(request.topic(), "topic"), required(request.partition(), "partition"));
            from = required(request.fromOffset(), "fromOffset");
            to = request.toOffset() == null ? from : request.toOffset();
        }
        subscriptions.redeliver(organisation, id, caller.actor(), partition, from, to);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Asked(id, "redelivery of " + partition.topic() + "/"
                + partition.partition() + "@" + from + (to > from ? ".." + to : ""), "/api/webhooks/" + id
                + "/deliveries"));
    }

    /** Starts delivery again from a moment or from positions: everything after is sent again, in order. */
    @PostMapping("/api/webhooks/{id}/replay")
    public ResponseEntity<Asked> replay(Caller caller, @PathVariable String id,
                                        @RequestBody WebhookRequests.Replay request) {
        Map<Partition, Long> positions = null;
        if (request.positions() != null) {
            positions = new LinkedHashMap<>();
            for (int i = 0; i < request.positions().size(); i++) {
                WebhookRequests.Position p = request.positions().get(i);
                if (p == null || p.topic() == null || p.partition() == null || p.offset() == null) {
                    throw Refusal.invalid("position-incomplete", "positions[" + i + "]",
                                          "A position names its topic, partition and offset.");
                }
                positions.put(new Partition(p.topic(), p.partition()), p.offset());
            }
        }
        subscriptions.rewind(reader(caller), id, caller.actor(), request.from(), positions);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Asked(id, request.from() != null
                ? "replay from " + request.from() : "replay from " + positions.size() + " positions",
                "/api/webhooks/" + id + "/deliveries"));
    }

    /**
     * The operator's view: the organisation's subscriptions and whether each delivers — a paused or disabled one with
     * the endpoint's last answer — by name and endpoint host only.
     */
    @GetMapping("/api/operations/webhooks")
    public WebhookAnswers.Operations operations(Caller caller) {
        ClientAccess.requireAny(caller, "the webhooks' operations", Role.OPERATOR);
        return new WebhookAnswers.Operations(subscriptions.of(caller.organisationId()).stream()
                .map(s -> new WebhookAnswers.Operated(s.id(), s.name(), s.endpointHost(),
                                                      s.status().name(), s.statusDetail(), s.changedAt()))
                .toList());
    }

    /** Who decides what leaves the organisation: its compliance officers. */
    private static OrganisationId manager(Caller caller) {
        ClientAccess.requireAny(caller, "managing the organisation's webhooks", Role.COMPLIANCE_OFFICER);
        return caller.organisationId();
    }

    /** Who reads the subscriptions and their log and asks for what was sent to be sent again. */
    private static OrganisationId reader(Caller caller) {
        ClientAccess.requireAny(caller, "reading the organisation's webhooks", Role.COMPLIANCE_OFFICER,
                                Role.INTEGRATOR);
        return caller.organisationId();
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw Refusal.invalid("field-required", field, field + " is required (or give webhookId).");
        }
        return value;
    }
}
