package org.stillpoint.session.it;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * consent-service, running in this test JVM on its own port and database over the same backends, so that consent is
 * granted and withdrawn for real and reaches session-service only through the consent topic.
 */
final class ConsentServiceBeside {

    private static ConfigurableApplicationContext context;
    private static Http http;

    private ConsentServiceBeside() {
    }

    static synchronized Http http() {
        if (context == null) {
            // as arguments, so they win over the service's application.yml like a deployment's settings would
            context = new SpringApplicationBuilder(ConsentServiceApplication.class)
                    .run("--spring.config.location=" + ownConfiguration(),
                         "--server.port=0",
                         "--spring.mongodb.uri=" + Backends.shared().mongoConnectionString(),
                         "--spring.mongodb.database=consent-beside-" + UUID.randomUUID().toString().substring(0, 8),
                         "--spring.kafka.bootstrap-servers=" + Backends.shared().kafkaBootstrapServers());
            Runtime.getRuntime().addShutdownHook(new Thread(context::close, "consent-service-beside"));
            http = new Http(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
        }
        return http;
    }

    /**
     * consent-service's own application.yml. On this class path session-service's file of the same name comes first,
     * so it is copied out of consent-service's classes and named explicitly.
     */
    private static String ownConfiguration() {
        try {
            String home = ConsentServiceApplication.class.getProtectionDomain().getCodeSource().getLocation().toString();
            for (URL url : Collections.list(ConsentServiceBeside.class.getClassLoader().getResources("application.yml"))) {
                if (url.toString().startsWith(home) || url.toString().startsWith("jar:" + home)) {
                    Path copy = Files.createTempFile("consent-service-", ".yml");
                    try (InputStream in = url.openStream()) {
                        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                    return "file:" + copy;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("consent-service's application.yml is not on the class path");
    }

    /** Registers an adult client at {@code clinic}; answers the client id. */
    static String register(String clinic) {
        Http.Response response = http().post("/api/clients", """
                {"organisationId":"stillwater","clinicId":"%s","givenName":"Robin","familyName":"Ashdown",
                 "dateOfBirth":"1984-03-02"}
                """.formatted(clinic));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("clientId").asString();
    }

    /** Grants consent for {@code scopesJson} from {@code grantedAt}; answers [consentId, sequence]. */
    static String[] grant(String clientId, String scopesJson, String grantedAt) {
        Http.Response response = http().post("/api/clients/" + clientId + "/consents", """
                {"scopes":%s,"method":"WRITTEN","grantedAt":"%s",
                 "form":{"formId":"cst-ser-intake","version":"2026-09","textSha256":"%s"}}
                """.formatted(scopesJson, grantedAt, "ab".repeat(32)));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return new String[]{response.body().get("consentId").asString(), response.body().get("sequence").asString()};
    }

    /** Withdraws {@code scopesJson}; answers the client's consent sequence after it. */
    static long withdraw(String clientId, String consentId, String scopesJson) {
        Http.Response response = http().post("/api/clients/" + clientId + "/consents/" + consentId + "/withdrawals",
                                             "{\"scopes\":" + scopesJson + "}");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("sequence").asLong();
    }
}
