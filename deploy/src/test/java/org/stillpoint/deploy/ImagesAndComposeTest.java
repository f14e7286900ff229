package org.stillpoint.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.stillpoint.deploy.YamlPaths.at;

/**
 * What can be checked of the images and the compose cluster without a Docker engine: the Dockerfile builds on a Java 25
 * runtime from the layered jar and runs as a user without privileges; every service's runnable jar has the layers the
 * Dockerfile copies and its CycloneDX SBOM (checked when the jars are built, as in {@code ./mvnw verify}); the compose
 * file names a replicated Kafka and MongoDB, Keycloak with the realm, two instances of every service, health checks,
 * limits, and no secret with a default. {@code docker compose config} validates the file where compose is installed.
 */
class ImagesAndComposeTest {

    private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
    private static final Path COMPOSE = Path.of("compose", "compose.yaml");
    private static final List<String> SERVICES = List.of("consent-service", "session-service", "referral-service",
                                                         "audit-service", "delivery-service", "directory-service");

    @Test
    void theDockerfileRunsTheLayeredJarOnAJava25RuntimeAsAUserWithoutPrivileges() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        List<String> froms = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile).results().map(m -> m.group(1)).toList();
        assertThat(froms).isNotEmpty().allMatch(image -> image.equals("eclipse-temurin:25-jre"));
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
        assertThat(user.find()).as("a USER line").isTrue();
        String uid = user.group(1).split(":")[0];
        assertThat(uid).isNotIn("0", "root").matches("\\d+");
        assertThat(dockerfile).contains("extract --layers --launcher");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            assertThat(dockerfile).contains("/extracted/" + layer + "/");
        }
        assertThat(dockerfile).contains("META-INF/sbom/application.cdx.json")
                              .contains("org.springframework.boot.loader.launch.JarLauncher");
        assertThat(dockerfile.indexOf("USER ")).as("the entrypoint runs as that user")
                                                .isLessThan(dockerfile.indexOf("ENTRYPOINT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "consent-service", "session-service", "referral-service", "audit-service",
                            "delivery-service", "directory-service"})
    void everyServiceJarHasTheImagesLayersAndItsSbom(String service) throws IOException {
        Path jar = Path.of("..", service, "target", service + "-exec.jar");
        assumeTrue(Files.exists(jar), service + " is not packaged yet (run ./mvnw verify)");
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry layers = file.getEntry("BOOT-INF/layers.idx");
            assertThat(layers).as("layers.idx").isNotNull();
            String index;
            try (InputStream in = file.getInputStream(layers)) {
                index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(index).contains("- \"dependencies\":", "- \"spring-boot-loader\":", "- \"snapshot-dependencies\":",
                                       "- \"application\":");
            ZipEntry sbom = file.getEntry("META-INF/sbom/application.cdx.json");
            assertThat(sbom).as("the SBOM").isNotNull();
            String bom;
            try (InputStream in = file.getInputStream(sbom)) {
                bom = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(bom).contains("\"bomFormat\" : \"CycloneDX\"").contains("spring-boot")
                           .contains("\"name\" : \"" + service + "\"");
        }
    }

    @Test
    void theComposeClusterIsReplicatedAndEveryServiceRunsTwiceWithHealthAndLimits() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
        Map<String, Map<String, Object>> services = at(compose, "services");
        for (int n = 1; n <= 3; n++) {
            Map<String, Object> kafka = services.get("kafka-" + n);
            assertThat(kafka).as("kafka-" + n).isNotNull();
            Map<String, Object> env = at(kafka, "environment");
            assertThat(env).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                           .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                           .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                           .containsEntry("KAFKA_NODE_ID", String.valueOf(n));
            assertThat(String.valueOf(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).split(",")).hasSize(3);
            assertThat(String.valueOf(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"))).as("every listener authenticates")
                    .doesNotContain(":PLAINTEXT").contains("CLIENT:SASL_PLAINTEXT");
            assertThat(env).containsEntry("KAFKA_AUTHORIZER_CLASS_NAME",
                                          "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                           .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false");
            assertThat(kafka).containsKey("healthcheck");
            Map<String, Object> mongo = services.get("mongo-" + n);
            assertThat(String.valueOf(mongo.get("command"))).contains("--replSet", "rs0");
            assertThat(mongo).containsKey("healthcheck");
        }
        assertThat(String.valueOf(services.get("mongo-init").get("entrypoint"))).contains("rs.initiate", "mongo-1:27017",
                                                                                         "mongo-2:27017", "mongo-3:27017");
        assertThat(String.valueOf(services.get("keycloak").get("volumes"))).contains("stillpoint-realm.json");
        assertThat(String.valueOf(services.get("keycloak").get("command"))).contains("--import-realm");
        for (String service : SERVICES) {
            Map<String, Object> definition = services.get(service);
            assertThat((Integer) at(definition, "deploy", "replicas")).as(service + " instances").isGreaterThanOrEqualTo(2);
            assertThat((Object) at(definition, "deploy", "resources", "limits", "memory")).as(service + " limit").isNotNull();
            assertThat(String.valueOf((Object) at(definition, "healthcheck", "test"))).contains("/actuator/health/readiness");
            Map<String, Object> env = at(definition, "environment");
            assertThat(String.valueOf(env.get("SPRING_PROFILES_ACTIVE"))).doesNotContain("local");
            assertThat(String.valueOf(env.get("STILLPOINT_MASTER_KEY"))).as("required, no default").matches("\\$\\{[A-Z_]+:\\?.+}");
            assertThat(String.valueOf(env.get("STILLPOINT_SIGNING_KEY"))).as(service + " signing key: its own, required")
                                                                       .matches("\\$\\{STILLPOINT_SIGNING_KEY_[A-Z]+:\\?.+}");
            if (!service.equals("consent-service")) {
                assertThat(String.valueOf(env.get("STILLPOINT_SIGNING_JWKS_URI"))).contains("{service}");
            }
            assertThat(env).containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
            assertThat(String.valueOf(env.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")))
                    .as(service + " connects to Kafka as itself").contains("ScramLoginModule", "username=\"" + service + "\"")
                    .containsPattern("password=\"\\$\\{STILLPOINT_KAFKA_PASSWORD_[A-Z]+:\\?");
            assertThat(String.valueOf(env.get("MONGODB_URI"))).contains("replicaSet=rs0", "w=majority");
            assertThat(env).containsEntry("STILLPOINT_PUBLICATION_REPLICAS", "3");
            assertThat(definition).doesNotContainKey("ports");
        }
        Map<String, Object> gateway = services.get("gateway");
        assertThat(String.valueOf(gateway.get("ports"))).isEqualTo("[127.0.0.1:8080:8080]");
        assertThat(services.values()).allSatisfy(s -> {
            if (s.get("ports") != null) {
                assertThat(YamlPaths.<List<String>>at(s, "ports")).allMatch(p -> p.startsWith("127.0.0.1:"));
            }
        });
        String init = String.valueOf(services.get("kafka-init").get("entrypoint"));
        for (String owner : List.of("consent", "session", "referral")) {
            assertThat(init).contains("for owner in consent session referral", "--topic \"stillpoint.$$owner.v1\"");
        }
        assertThat(init).contains("SCRAM-SHA-512=[password=", "--operation Write", "stillpoint.dlt.audit-service");
        // an integrator of one organisation: that organisation's topics by their full names, nothing written
        assertThat(init).contains("for pair in $$INTEGRATORS", "--topic \"stillpoint.$$topic.v1.$$organisation\"",
                                  "--resource-pattern-type prefixed --topic \"stillpoint.$$owner.v1.\"");
        String text = Files.readString(COMPOSE);
        assertThat(Pattern.compile("\\$\\{(?:[A-Z_]*(?:KEY|PASSWORD|SECRET|ADMIN)[A-Z_]*):-").matcher(text).find())
                .as("no secret has a default").isFalse();
    }

    @Test
    void composeAcceptsTheFileWhereItIsInstalled() throws Exception {
        List<String> command = composeCommand();
        assumeTrue(command != null, "docker compose is not installed here: the file is checked by the test above only");
        Path env = Files.createTempFile("stillpoint", ".env");
        Files.writeString(env, """
                STILLPOINT_MASTER_KEY=c29tZS0zMi1ieXRlLWtleS1mb3ItY2hlY2tpbmctb25seQ==
                STILLPOINT_NAME_INDEX_KEY=c29tZS0zMi1ieXRlLWtleS1mb3ItY2hlY2tpbmctb25seQ==
                STILLPOINT_KAFKA_BROKER_PASSWORD=checking-only
                STILLPOINT_KAFKA_ADMIN_PASSWORD=checking-only
                STILLPOINT_KAFKA_PASSWORD_CONSENT=checking-only
                STILLPOINT_KAFKA_PASSWORD_SESSION=checking-only
                STILLPOINT_KAFKA_PASSWORD_REFERRAL=checking-only
                STILLPOINT_KAFKA_PASSWORD_AUDIT=checking-only
                STILLPOINT_SIGNING_KEY_CONSENT={}
                STILLPOINT_SIGNING_KEY_SESSION={}
                STILLPOINT_SIGNING_KEY_REFERRAL={}
                STILLPOINT_SIGNING_KEY_AUDIT={}
                STILLPOINT_KAFKA_CLUSTER_ID=MkU3OEVBNTcwNTJENDM2Qk
                STILLPOINT_PUBLIC_IDENTITY=http://127.0.0.1:8180
                KEYCLOAK_ADMIN=admin
                KEYCLOAK_ADMIN_PASSWORD=checking-only
                STILLPOINT_CONSOLE_CLIENT_SECRET=checking-only
                """);
        List<String> config = new java.util.ArrayList<>(command);
        config.addAll(List.of("--env-file", env.toString(), "-f", COMPOSE.toString(), "config", "--quiet"));
        Process process = new ProcessBuilder(config).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static List<String> composeCommand() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            try {
                List<String> version = new java.util.ArrayList<>(candidate);
                version.add("version");
                Process process = new ProcessBuilder(version).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
