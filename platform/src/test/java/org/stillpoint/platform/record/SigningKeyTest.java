package org.stillpoint.platform.record;

import com.nimbusds.jose.jwk.ECKey;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeyTest {

    @Test
    void aMissingOrMalformedKeyIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SigningKey.decode(null, true)).hasMessageContaining("STILLPOINT_SIGNING_KEY")
                                                               .hasMessageContaining("is not set");
        assertThatThrownBy(() -> SigningKey.decode("{}", false)).hasMessageContaining("STILLPOINT_SIGNING_KEY");
        assertThatThrownBy(() -> SigningKey.decode("not json", false)).hasMessageContaining("not an EC JWK");
        String publicOnly = SigningKey.generate("k").toPublicJWK().toJSONString();
        assertThatThrownBy(() -> SigningKey.decode(publicOnly, false)).hasMessageContaining("private EC key on P-256");
        String noKid = new ECKey.Builder(SigningKey.generate("k")).keyID(null).build().toJSONString();
        assertThatThrownBy(() -> SigningKey.decode(noKid, false)).hasMessageContaining("with a kid");
    }

    @Test
    void everyServicesDevelopmentKeyIsAcceptedInTheLocalProfileOnly() throws IOException {
        Pattern key = Pattern.compile("key: '(\\{.*})'");
        for (String service : List.of("consent-service", "session-service", "referral-service", "audit-service")) {
            Matcher found = key.matcher(Files.readString(
                    Path.of("..", service, "src/main/resources/application-local.yml")));
            assertThat(found.find()).as(service + " has a development signing key").isTrue();
            String development = found.group(1);
            assertThat(SigningKey.decode(development, true).getKeyID()).isEqualTo("local-dev-" + service);
            assertThatThrownBy(() -> SigningKey.decode(development, false)).as(service)
                    .hasMessageContaining("development key");
        }
        String own = SigningKey.generate("own").toJSONString();
        assertThat(SigningKey.decode(own, false).getKeyID()).isEqualTo("own");
    }

    @Test
    void publishedKeysAreAJwkSetWhosePrivatePartsAreDropped() {
        String set = "{\"keys\":[" + SigningKey.generate("a").toJSONString() + "]}";
        assertThat(SigningKey.published(set)).singleElement().satisfies(k -> assertThat(k.isPrivate()).isFalse());
        assertThat(SigningKey.published("")).isEmpty();
        assertThatThrownBy(() -> SigningKey.published("[1]")).hasMessageContaining("STILLPOINT_SIGNING_PUBLISHED_KEYS");
    }
}
