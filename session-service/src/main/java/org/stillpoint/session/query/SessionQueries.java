package org.stillpoint.session.query;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.SessionId;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads of the session read model and of the clients this service knows from the consent topic. */
@Component
public record SessionQueries(MongoTemplate mongo) {

    public List<SessionView> sessionsOf(ClientId clientId) {
        return mongo.find(Query.query(Criteria.where("clientId").is(clientId.toString()))
                               .with(Sort.by("startedAt", "sessionId")), SessionView.class);
    }

    /** The client's sessions, oldest first, as the cursor yields them: close the stream. */
    public Stream<SessionView> streamOf(ClientId clientId) {
        return mongo.stream(Query.query(Criteria.where("clientId").is(clientId.toString()))
                                 .with(Sort.by("startedAt", "sessionId")), SessionView.class);
    }

    public Optional<SessionView> session(ClientId clientId, SessionId sessionId) {
        return Optional.ofNullable(mongo.findById(sessionId.toString(), SessionView.class))
                       .filter(s -> s.clientId().equals(clientId.toString()));
    }
}
