package org.stillpoint.platform.erasure;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.stillpoint.contracts.consent.ClientErased;

import java.util.function.UnaryOperator;

/**
 * Drops an erased client's personal data from one read model: each of the client's documents (field {@code clientId})
 * is saved again as {@code scrubbed} makes it. Idempotent when {@code scrubbed} is (a scrubbed document scrubs to
 * itself).
 */
public class ScrubReadModel<V> implements ErasureHandler {

    private final MongoTemplate mongo;
    private final Class<V> view;
    private final UnaryOperator<V> scrubbed;

    public ScrubReadModel(MongoTemplate mongo, Class<V> view, UnaryOperator<V> scrubbed) {
        this.mongo = mongo;
        this.view = view;
        this.scrubbed = scrubbed;
    }

    @Override
    public void erase(ClientErased erased) {
        for (V document : mongo.find(Query.query(Criteria.where("clientId").is(erased.clientId().toString())), view)) {
            mongo.save(scrubbed.apply(document));
        }
    }
}
