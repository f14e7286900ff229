package org.stillpoint.consent.query;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.ClientId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads of the consent read models. */
@Component
public class ConsentQueries {

    private final MongoTemplate mongo;

    public ConsentQueries(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    public Optional<ClientConsentsView> client(ClientId clientId) {
        return Optional.ofNullable(mongo.findById(clientId.toString(), ClientConsentsView.class));
    }

    /** Active consents whose expiry has come; the collection holds only consents with an expiry that are still active. */
    public List<ConsentExpiry> dueExpiries(Instant now) {
        return mongo.findAll(ConsentExpiry.class).stream()
                    .filter(e -> !now.isBefore(e.expiresAt()))
                    .toList();
    }
}
