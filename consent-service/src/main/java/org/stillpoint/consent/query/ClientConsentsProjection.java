package org.stillpoint.consent.query;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ClientTransferred;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.CopyDownloaded;
import org.stillpoint.contracts.consent.CopyNotesDecided;
import org.stillpoint.contracts.consent.CopyNotesReferred;
import org.stillpoint.contracts.consent.CopyProduced;
import org.stillpoint.contracts.consent.CopyRequested;
import org.stillpoint.contracts.consent.ErasureRefused;
import org.stillpoint.contracts.consent.ErasureRequestWithdrawn;
import org.stillpoint.contracts.consent.ErasureRequested;
import org.stillpoint.platform.erasure.ErasureHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Builds {@link ClientConsentsView} and {@link ConsentExpiry} from the client's events. Idempotent: each document
 * remembers the last event sequence it applied and ignores anything at or below it, so redelivery and replays leave
 * the documents as they are. Times come from the events, never from the clock.
 */
@Component
@ProcessingGroup(ClientConsentsProjection.PROCESSOR)
public class ClientConsentsProjection {

    public static final String PROCESSOR = "client-consents";

    private final MongoTemplate mongo;
    private final List<ErasureHandler> erasure;

    /** @param erasure what this service does when a client is erased, beyond this view: its key shredded */
    public ClientConsentsProjection(MongoTemplate mongo, List<ErasureHandler> erasure) {
        this.mongo = mongo;
        this.erasure = List.copyOf(erasure);
    }

    @EventHandler
    void on(ClientRegistered event, @SequenceNumber long sequence) {
        try {
            mongo.insert(new ClientConsentsView(event.clientId().toString(), event.organisationId().toString(),
                                                event.clinicId().toString(), event.personalDetails(),
                                                event.registeredAt(), event.registeredBy().subject(), sequence,
                                                List.of(), null, List.of()));
        } catch (DuplicateKeyException applied) {
            // a redelivered registration: the view has it, and maybe more since
        }
    }

    @EventHandler
    void on(ConsentGranted event, @SequenceNumber long sequence, EventMessage<?> message) {
        // one write that adds the consent, guarded by the sequence: the client's other consents are not read or moved
        boolean applied = updateFields(event.clientId().toString(), sequence, new Update().push("consents", new ConsentView(
                event.consentId().toString(), event.clinicId().toString(), event.scopes(), event.scopes(),
                ConsentView.ACTIVE, 1, event.form(), event.method(), event.grantor().kind(), event.grantor().name(),
                event.grantor().relationship(), event.witness(), event.boundaries(), event.grantedAt(),
                event.expiresAt(), event.recordedAt(), event.recordedBy().subject(),
                List.of(new ConsentChange("GRANTED", event.grantedAt(), event.scopes(),
                                          event.recordedBy().subject(), null, message.getIdentifier())),
                event.lateEntry(), event.lateEntryReason())));
        // a grant seen before (redelivered after the consent ended, or after the erasure) does not bring its expiry back
        if (applied && event.expiresAt() != null) {
            String id = ConsentExpiry.idOf(event.clientId().toString(), event.consentId().toString());
            mongo.save(new ConsentExpiry(id, event.clientId().toString(), event.consentId().toString(),
                                         event.expiresAt()));
        }
    }

    @EventHandler
    void on(ConsentWithdrawn event, @SequenceNumber long sequence, EventMessage<?> message) {
        String consentId = event.consentId().toString();
        update(event.clientId().toString(), sequence, consents -> replace(consents, consentId, c -> c.changed(
                event.remainingScopes(), event.ended() ? ConsentView.WITHDRAWN : ConsentView.ACTIVE,
                new ConsentChange("WITHDRAWN", event.withdrawnAt(), event.withdrawnScopes(),
                                  event.recordedBy().subject(), event.reason(), message.getIdentifier()))));
        if (event.ended()) {
            forgetExpiry(event.clientId().toString(), consentId);
        }
    }

    @EventHandler
    void on(ConsentExpired event, @SequenceNumber long sequence, EventMessage<?> message) {
        String consentId = event.consentId().toString();
        update(event.clientId().toString(), sequence, consents -> replace(consents, consentId, c -> c.changed(
                Set.of(), ConsentView.EXPIRED,
                new ConsentChange("EXPIRED", event.expiredAt(), event.scopes(), "system/consent-expiry", null,
                                  message.getIdentifier()))));
        forgetExpiry(event.clientId().toString(), consentId);
    }

    /** The client belongs to the clinic they moved to; the move, with the consents carried over, is kept beside them. */
    @EventHandler
    void on(ClientTransferred event, @SequenceNumber long sequence, EventMessage<?> message) {
        updateFields(event.clientId().toString(), sequence, new Update()
                .set("clinicId", event.toClinicId().toString())
                .push("transfers", new ClientConsentsView.TransferView(
                        event.fromClinicId().toString(), event.toClinicId().toString(),
                        event.carriedOver().stream().map(Object::toString).toList(), event.transferredAt(),
                        event.recordedBy().subject(), message.getIdentifier())));
    }

    @EventHandler
    void on(ErasureRequested event, @SequenceNumber long sequence) {
        updateFields(event.clientId().toString(), sequence, new Update());
    }

    @EventHandler
    void on(ErasureRequestWithdrawn event, @SequenceNumber long sequence) {
        updateFields(event.clientId().toString(), sequence, new Update());
    }

    @EventHandler
    void on(ErasureRefused event, @SequenceNumber long sequence) {
        updateFields(event.clientId().toString(), sequence, new Update());
    }

    /**
     * The erasure: this service's handlers run first (its copy of the client's key is shredded), then the client's
     * personal data leaves the view, which from now on says when the client was erased. A replay runs it again, which
     * changes nothing.
     */
    @EventHandler
    void on(ClientErased event, @SequenceNumber long sequence) {
        erasure.forEach(handler -> handler.erase(event));
        ClientConsentsView view = mongo.findById(event.clientId().toString(), ClientConsentsView.class);
        if (view == null || sequence <= view.lastSequence()) {
            return;
        }
        mongo.save(new ClientConsentsView(view.clientId(), view.organisationId(), view.clinicId(), null,
                                          view.registeredAt(), view.registeredBy(), sequence,
                                          view.consents().stream().map(ConsentView::withoutPersonalData).toList(),
                                          event.erasedAt(), view.transfers()));
        mongo.remove(Query.query(Criteria.where("clientId").is(view.clientId())), ConsentExpiry.class);
        mongo.updateMulti(Query.query(Criteria.where("clientId").is(view.clientId())),
                          new Update().set("status", CopyRequestView.ERASED).unset("notesReason"),
                          CopyRequestView.class);
    }

    @EventHandler
    void on(CopyRequested event) {
        try {
            mongo.insert(new CopyRequestView(event.requestId().toString(), event.clientId().toString(),
                                             event.organisationId().toString(), event.clinicId().toString(),
                                             event.channel().name(), event.receivedAt(), event.dueBy(),
                                             event.recordedAt(), event.recordedBy().subject(),
                                             CopyRequestView.REQUESTED, null, null, null, null, null, null, null,
                                             null, null));
        } catch (DuplicateKeyException applied) {
            // a redelivered request: the view has it
        }
    }

    @EventHandler
    void on(CopyNotesReferred event) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(event.requestId().toString()).and("notesDecision").is(null)),
                          new Update().set("status", CopyRequestView.AWAITING_NOTES_DECISION)
                                      .set("notesDecision", "REFERRED"), CopyRequestView.class);
    }

    @EventHandler
    void on(CopyNotesDecided event) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(event.requestId().toString())
                                              .and("status").is(CopyRequestView.AWAITING_NOTES_DECISION)),
                          new Update().set("status", CopyRequestView.REQUESTED)
                                      .set("notesDecision", event.released() ? "RELEASED" : "DENIED")
                                      .set("notesReason", event.reason()).set("notesDecidedAt", event.decidedAt())
                                      .set("notesDecidedBy", event.decidedBy().subject()), CopyRequestView.class);
    }

    @EventHandler
    void on(CopyProduced event) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(event.requestId().toString())),
                          new Update().set("status", CopyRequestView.PRODUCED).set("producedAt", event.producedAt())
                                      .set("availableUntil", event.availableUntil())
                                      .set("downloadsLeft", event.downloadsAllowed()).set("notes", event.notes().name())
                                      .set("bundleSha256", event.bundleSha256()), CopyRequestView.class);
    }

    @EventHandler
    void on(CopyDownloaded event) {
        // downloads only count down: a redelivered older download does not give one back
        mongo.updateFirst(Query.query(Criteria.where("_id").is(event.requestId().toString())
                                              .and("downloadsLeft").gt(event.downloadsLeft())),
                          new Update().set("downloadsLeft", event.downloadsLeft()), CopyRequestView.class);
    }

    @ResetHandler
    void reset() {
        mongo.dropCollection(CopyRequestView.class);
        mongo.dropCollection(ClientConsentsView.class);
        mongo.dropCollection(ConsentExpiry.class);
    }

    /** Applies {@code change} to the client's consents unless the view has seen {@code sequence}; whether it did. */
    private boolean update(String clientId, long sequence, UnaryOperator<List<ConsentView>> change) {
        ClientConsentsView view = mongo.findById(clientId, ClientConsentsView.class);
        if (view == null) {
            throw new IllegalStateException("no client " + clientId + " for a consent event; its registration was not applied");
        }
        if (sequence <= view.lastSequence()) {
            return false;
        }
        List<ConsentView> consents = change.apply(new ArrayList<>(view.consents()));
        mongo.save(new ClientConsentsView(view.clientId(), view.organisationId(), view.clinicId(),
                                          view.personalDetails(), view.registeredAt(), view.registeredBy(), sequence,
                                          List.copyOf(consents), view.erasedAt(), view.transfers()));
        return true;
    }

    /**
     * Applies {@code change} and the new sequence to the client's view in one write, unless the view has seen
     * {@code sequence} (the filter holds the guard, so a redelivery changes nothing); whether it did.
     */
    private boolean updateFields(String clientId, long sequence, Update change) {
        Query unseen = Query.query(Criteria.where("_id").is(clientId).and("lastSequence").lt(sequence));
        if (mongo.updateFirst(unseen, change.set("lastSequence", sequence), ClientConsentsView.class)
                 .getMatchedCount() == 1) {
            return true;
        }
        if (!mongo.exists(Query.query(Criteria.where("_id").is(clientId)), ClientConsentsView.class)) {
            throw new IllegalStateException("no client " + clientId + " for a consent event; its registration was not applied");
        }
        return false;
    }

    private static List<ConsentView> replace(List<ConsentView> consents, String consentId,
                                             UnaryOperator<ConsentView> change) {
        consents.replaceAll(c -> c.consentId().equals(consentId) ? change.apply(c) : c);
        return consents;
    }

    private void forgetExpiry(String clientId, String consentId) {
        mongo.remove(Query.query(Criteria.where("_id").is(ConsentExpiry.idOf(clientId, consentId))),
                     ConsentExpiry.class);
    }
}
