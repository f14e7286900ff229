package org.stillpoint.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.stillpoint.security.Caller;
import org.stillpoint.security.StillpointSecurityAutoConfiguration;
import org.stillpoint.testsupport.TestIssuer;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The raw command: this design's physical limit on this machine, the baseline of B2. The server stack of a service —
 * Boot, Tomcat on virtual threads, the same token check ({@link StillpointSecurityAutoConfiguration}), JSON in and out —
 * answering the two commands B2 sends with exactly the writes their guarantees need, one round trip each, on the same
 * store:
 * <ul>
 *   <li>a registration: the client's key (insert), a position reservation ({@code $inc} on a counter), the commit
 *   (insert, under the event store's unique indexes on positions and stream keys) and the read model (insert);</li>
 *   <li>a consent grant: a position reservation, the commit and the read model (one update).</li>
 * </ul>
 * Nothing else: no aggregate, no event processor, no publication, no read-your-writes wait, no tracing.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
        StillpointSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
        ServletWebSecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class,
        OAuth2ResourceServerAutoConfiguration.class})
class RawCommandServer {

    /** Starts it on a free port, over {@code database} of the store at {@code mongoUri}. */
    static ConfigurableApplicationContext start(String mongoUri, String database) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.threads.virtual.enabled=true",
                                                         // no application.yml of a service on the class path
                                                         "--spring.config.name=raw-command-server",
                                                         "--spring.main.banner-mode=off",
                                                         "--logging.level.root=WARN",
                                                         "--raw.mongo-uri=" + mongoUri, "--raw.database=" + database));
        TestIssuer.shared().properties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(RawCommandServer.class).run(arguments.toArray(String[]::new));
    }

    @Bean(destroyMethod = "close")
    MongoClient rawMongo(org.springframework.core.env.Environment environment) {
        return MongoClients.create(environment.getRequiredProperty("raw.mongo-uri"));
    }

    @Bean
    MongoDatabase rawDatabase(MongoClient rawMongo, org.springframework.core.env.Environment environment) {
        return rawMongo.getDatabase(environment.getRequiredProperty("raw.database"));
    }

    /** The two endpoints, each its writes and nothing else (registered as this configuration's member). */
    @RestController
    static class Commands {

        private static final SecureRandom RANDOM = new SecureRandom();
        private final MongoCollection<Document> keys;
        private final MongoCollection<Document> counters;
        private final MongoCollection<Document> commits;
        private final MongoCollection<Document> clients;

        Commands(MongoDatabase database) {
            this.keys = database.getCollection("client_keys");
            this.counters = database.getCollection("counters");
            this.commits = database.getCollection("events");
            this.clients = database.getCollection("clients");
            commits.createIndex(Indexes.ascending("positions"), new IndexOptions().unique(true));
            commits.createIndex(Indexes.ascending("streamKeys"), new IndexOptions().unique(true).sparse(true));
        }

        @PostMapping("/api/clients")
        @ResponseStatus(HttpStatus.CREATED)
        Map<String, Object> register(@RequestBody Map<String, Object> registration, Caller caller) {
            String clientId = UUID.randomUUID().toString();
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            keys.insertOne(new Document("_id", clientId).append("key", new Binary(key)));
            long position = reserve();
            commit(clientId, 0, position, registration);
            clients.insertOne(new Document("_id", clientId).append("organisationId", caller.organisationId().value())
                                                           .append("details", new Document(registration))
                                                           .append("sequence", 0L).append("consents", List.of()));
            return Map.of("clientId", clientId, "sequence", 0);
        }

        @PostMapping("/api/clients/{clientId}/consents")
        @ResponseStatus(HttpStatus.CREATED)
        Map<String, Object> grant(@PathVariable String clientId, @RequestBody Map<String, Object> grant) {
            String consentId = UUID.randomUUID().toString();
            long position = reserve();
            commit(clientId, position, position, grant);
            clients.updateOne(new Document("_id", clientId),
                              Updates.combine(Updates.push("consents", new Document("consentId", consentId)
                                                      .append("grant", new Document(grant))),
                                              Updates.set("sequence", position)));
            return Map.of("clientId", clientId, "consentId", consentId);
        }

        private long reserve() {
            Document counter = counters.findOneAndUpdate(new Document("_id", "positions"), Updates.inc("next", 1L),
                                                         new FindOneAndUpdateOptions().upsert(true)
                                                                                      .returnDocument(ReturnDocument.AFTER));
            return counter.getLong("next");
        }

        private void commit(String clientId, long sequence, long position, Map<String, Object> payload) {
            commits.insertOne(new Document("positions", List.of(position))
                                      .append("streamKeys", List.of(clientId + "/" + sequence))
                                      .append("timestamp", Instant.now().toString())
                                      .append("events", List.of(new Document("payload", new Document(payload)))));
        }
    }
}
