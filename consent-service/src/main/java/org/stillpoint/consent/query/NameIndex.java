package org.stillpoint.consent.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.erasure.ErasureHandler;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Finding a client by name and date of birth without the name in clear anywhere: a keyed blind index. Each registered
 * client has one entry, the HMAC of their normalised name and date of birth under their organisation's name-index key
 * ({@link NameIndexKey}), and nothing else of them but ids; a search computes the same HMAC and looks it up — exact
 * matches only, within one organisation. The entry is written from the registration (its sealed details opened with
 * the client's key), deleted by the client's erasure, and the whole index is rebuilt from the sealed details when the
 * key changes (at start-up, when the entries were made under another key).
 */
@Component
@ConditionalOnExpression("!'${stillpoint.search.name-index-key:}'.isBlank()")
@ProcessingGroup(NameIndex.PROCESSOR)
public class NameIndex implements ErasureHandler {

    public static final String PROCESSOR = "client-name-index";
    private static final Logger log = LoggerFactory.getLogger(NameIndex.class);

    /**
     * One client's entry.
     *
     * @param id    {@code <clientId>}
     * @param blind the HMAC of the normalised name and date of birth under the organisation's key, Base64url
     * @param keyId which key made it
     */
    @Document(Entry.COLLECTION)
    @CompoundIndex(name = "blind", def = "{'organisationId': 1, 'blind': 1}")
    public record Entry(@Id String id, String organisationId, String clinicId, String blind, String keyId) {

        public static final String COLLECTION = "client_name_index";
    }

    /** What the index reads of a client's sealed personal details: their names and date of birth, nothing else. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Named(String givenName, String familyName, LocalDate dateOfBirth) {
    }

    private final MongoTemplate mongo;
    private final FieldCipher cipher;
    private final NameIndexKey key;

    public NameIndex(MongoTemplate mongo, FieldCipher cipher, NameIndexKey key) {
        this.mongo = mongo;
        this.cipher = cipher;
        this.key = key;
    }

    /** The clients of {@code organisationId} registered with exactly this name and date of birth. */
    public List<Entry> find(OrganisationId organisationId, String givenName, String familyName, LocalDate dateOfBirth) {
        String blind = key.blind(organisationId.toString(), givenName, familyName, dateOfBirth);
        return mongo.find(Query.query(Criteria.where("organisationId").is(organisationId.toString()).and("blind").is(blind)),
                          Entry.class);
    }

    @EventHandler
    void on(ClientRegistered event) {
        details(event.clientId().toString(), event.personalDetails())
                .ifPresent(details -> mongo.save(entry(event.clientId().toString(), event.organisationId().toString(),
                                                       event.clinicId().toString(), details)));
    }

    /** The erasure deletes the client's entry: a search by their name finds nothing from then on. */
    @Override
    public void erase(ClientErased erased) {
        mongo.remove(Query.query(Criteria.where("_id").is(erased.clientId().toString())), Entry.class);
    }

    @ResetHandler
    void reset() {
        mongo.dropCollection(Entry.class);
    }

    /**
     * At start-up: when any entry was made under another key than today's (the key rotated), every entry is made
     * again from the clients' sealed details; an erased client's cannot be opened and has none.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void rebuildAfterARotation() {
        if (!mongo.exists(Query.query(Criteria.where("keyId").ne(key.id())), Entry.class)) {
            return;
        }
        int rebuilt = 0;
        for (ClientConsentsView view : mongo.find(Query.query(Criteria.where("erasedAt").is(null)),
                                                  ClientConsentsView.class)) {
            Optional<Named> details = details(view.clientId(), view.personalDetails());
            if (details.isPresent()) {
                mongo.save(entry(view.clientId(), view.organisationId(), view.clinicId(), details.get()));
                rebuilt++;
            } else {
                mongo.remove(Query.query(Criteria.where("_id").is(view.clientId())), Entry.class);
            }
        }
        mongo.remove(Query.query(Criteria.where("keyId").ne(key.id())), Entry.class);
        log.info("The name index was made under another key: {} entries made again under key {}", rebuilt, key.id());
    }

    private Entry entry(String clientId, String organisationId, String clinicId, Named details) {
        return new Entry(clientId, organisationId, clinicId,
                         key.blind(organisationId, details.givenName(), details.familyName(), details.dateOfBirth()),
                         key.id());
    }

    private Optional<Named> details(String clientId, Sealed sealed) {
        return sealed == null ? Optional.empty()
                : cipher.of(ClientId.of(clientId)).openJson(sealed, SealedFields.PERSONAL_DETAILS, Named.class);
    }
}
