package org.stillpoint.gateway;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

import java.net.URI;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.rewritePath;
import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.setPath;
import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.uri;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;
import static org.springframework.web.servlet.function.RequestPredicates.path;

/**
 * Which service answers which path (DESIGN §7). The first matching route wins: a client's sessions and referrals go to
 * their services, everything else about clients to consent-service, the audit to audit-service, webhooks to
 * delivery-service, the organisation's directory to directory-service. Each service's OpenAPI document is at
 * {@code /openapi/<service>}, its record-signing keys at {@code /.well-known/stillpoint/<service>/jwks.json}, its
 * operator endpoints (dead letters) under {@code /api/operations/<service>/}.
 */
@Configuration(proxyBeanMethods = false)
class Routes {

    @Bean
    RouterFunction<ServerResponse> stillpointRoutes(GatewayProperties services) {
        return service("session-service", services.sessionService(),
                       "/api/clients/{clientId}/sessions", "/api/clients/{clientId}/sessions/**", "/api/me/sessions")
                .and(service("referral-service", services.referralService(),
                              "/api/clients/{clientId}/referrals", "/api/clients/{clientId}/referrals/**",
                              "/api/referrals/**"))
                .and(service("consent-service", services.consentService(), "/api/clients", "/api/clients/**",
                             "/api/me/consents", "/api/me/consents/**", "/api/me/copy-requests",
                             "/api/me/copy-requests/**"))
                .and(service("audit-service", services.auditService(), "/api/audit/**", "/api/me/accesses",
                             "/api/me/disclosures", "/api/me/recipients"))
                .and(service("delivery-service", services.deliveryService(), "/api/webhooks", "/api/webhooks/**"))
                .and(service("directory-service", services.directoryService(), "/api/directory", "/api/directory/**"))
                .and(operations("consent-service", services.consentService()))
                .and(operations("session-service", services.sessionService()))
                .and(operations("referral-service", services.referralService()))
                .and(operations("audit-service", services.auditService()))
                .and(operations("delivery-service", services.deliveryService()))
                .and(operations("directory-service", services.directoryService()))
                .and(document("consent-service", services.consentService()))
                .and(document("session-service", services.sessionService()))
                .and(document("referral-service", services.referralService()))
                .and(document("audit-service", services.auditService()))
                .and(document("delivery-service", services.deliveryService()))
                .and(document("directory-service", services.directoryService()))
                .and(signingKeys("consent-service", services.consentService()))
                .and(signingKeys("session-service", services.sessionService()))
                .and(signingKeys("referral-service", services.referralService()))
                .and(signingKeys("audit-service", services.auditService()))
                .and(signingKeys("delivery-service", services.deliveryService()))
                .and(signingKeys("directory-service", services.directoryService()));
    }

    private static RouterFunction<ServerResponse> service(String name, URI address, String... paths) {
        var predicate = path(paths[0]);
        for (int i = 1; i < paths.length; i++) {
            predicate = predicate.or(path(paths[i]));
        }
        return route(name).route(predicate, http()).before(uri(address)).build();
    }

    /** A service's operator endpoints, {@code /api/operations/<service>/…} → the service's {@code /api/operations/…}. */
    private static RouterFunction<ServerResponse> operations(String name, URI address) {
        String prefix = "/api/operations/" + name;
        return route(name + "-operations").route(path(prefix + "/**"), http())
                                          .before(uri(address))
                                          .before(rewritePath(prefix + "/(?<rest>.*)", "/api/operations/${rest}"))
                                          .build();
    }

    /** A service's public record-signing keys, {@code /.well-known/stillpoint/<service>/jwks.json}, for consumers. */
    private static RouterFunction<ServerResponse> signingKeys(String name, URI address) {
        return route(name + "-signing-keys").GET("/.well-known/stillpoint/" + name + "/jwks.json", http())
                                            .before(uri(address))
                                            .before(setPath("/.well-known/jwks.json"))
                                            .build();
    }

    private static RouterFunction<ServerResponse> document(String name, URI address) {
        return route(name + "-openapi").GET("/openapi/" + name, http())
                                       .before(uri(address))
                                       .before(setPath("/v3/api-docs"))
                                       .build();
    }
}
