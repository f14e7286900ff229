package org.stillpoint.security;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented Keycloak realm puts into tokens exactly the claims and roles the services read. */
class KeycloakRealmTest {

    private static final Path REALM = Path.of("..", "deploy", "keycloak", "stillpoint-realm.json");

    @Test
    void tokensCarryTheClaimsAndRolesStillpointReads() throws Exception {
        JsonNode realm = JsonMapper.builder().build().readTree(Files.readString(REALM));

        List<String> roles = realm.get("roles").get("realm").values().stream().map(r -> r.get("name").asString()).toList();
        assertThat(roles).containsExactlyInAnyOrderElementsOf(Arrays.stream(Role.values()).map(Role::name).toList());

        JsonNode scope = realm.get("clientScopes").values().stream()
                              .filter(s -> s.get("name").asString().equals("stillpoint")).findFirst().orElseThrow();
        List<JsonNode> mappers = scope.get("protocolMappers").values().stream().toList();
        assertThat(mappers).extracting(m -> m.get("config").path("claim.name").asString(""))
                           .contains(Caller.ORGANISATION, Caller.CLINICS, Caller.ROLES, Caller.CLIENT);
        assertThat(mappers).extracting(m -> m.get("config").path("included.custom.audience").asString(""))
                           .contains(new TokenProperties(null, null, null, null, null, null, null).audience());
        assertThat(realm.get("clients").values()).allSatisfy(client -> assertThat(
                client.get("defaultClientScopes").values()).extracting(JsonNode::asString).contains("stillpoint"));
    }

    /** The gateway's console client: confidential, code flow with PKCE only, back to the gateway's callback. */
    @Test
    void theConsoleClientIsAConfidentialCodeFlowClientWithPkce() throws Exception {
        JsonNode realm = JsonMapper.builder().build().readTree(Files.readString(REALM));
        JsonNode console = realm.get("clients").values().stream()
                                .filter(c -> c.get("clientId").asString().equals("stillpoint-console")).findFirst()
                                .orElseThrow();

        assertThat(console.get("publicClient").asBoolean()).isFalse();
        assertThat(console.get("clientAuthenticatorType").asString()).isEqualTo("client-secret");
        assertThat(console.get("secret").asString()).as("from the environment, never written here")
                                                    .isEqualTo("${STILLPOINT_CONSOLE_CLIENT_SECRET}");
        assertThat(console.get("standardFlowEnabled").asBoolean()).isTrue();
        assertThat(console.get("implicitFlowEnabled").asBoolean()).isFalse();
        assertThat(console.get("directAccessGrantsEnabled").asBoolean()).isFalse();
        assertThat(console.get("serviceAccountsEnabled").asBoolean()).isFalse();
        assertThat(console.get("attributes").get("pkce.code.challenge.method").asString()).isEqualTo("S256");
        assertThat(console.get("redirectUris").values()).isNotEmpty().extracting(JsonNode::asString)
                                                       .allMatch(uri -> uri.endsWith("/login/oauth2/code/stillpoint"));
        assertThat(console.get("attributes").get("post.logout.redirect.uris").asString().split("##"))
                .allMatch(uri -> uri.endsWith("/signed-out"));
    }
}
