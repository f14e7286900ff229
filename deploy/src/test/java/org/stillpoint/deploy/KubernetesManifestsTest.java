package org.stillpoint.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stillpoint.deploy.YamlPaths.at;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every overlay of {@code deploy/k8s} renders with {@code kubectl kustomize} (skipped where kubectl is not installed)
 * and keeps what a production deployment must hold: at least two of every service with probes on the actuator groups,
 * non-root and bounded; no local profile and no secret written into a manifest; a Kafka cluster of three with
 * replicated topics that keep the event history; a MongoDB replica set of three; traffic closed by default.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final List<String> SERVICES = List.of("gateway", "consent-service", "session-service",
                                                         "referral-service", "audit-service", "delivery-service", "directory-service");

    @BeforeAll
    static void kubectl() {
        assumeTrue(available(), "kubectl is not installed here: the manifests are not rendered");
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyServiceRunsTwiceOrMoreWithProbesAsNonRootAndBounded(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        for (String service : SERVICES) {
            Map<String, Object> deployment = find(objects, "Deployment", service);
            assertThat((Integer) at(deployment, "spec", "replicas")).as(service + " replicas").isGreaterThanOrEqualTo(2);
            Map<String, Object> pod = at(deployment, "spec", "template", "spec");
            assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).as(service + " non-root").isTrue();
            Map<String, Object> container = YamlPaths.<List<Map<String, Object>>>at(pod, "containers").getFirst();
            assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
            assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            assertThat(YamlPaths.<Map<String, Object>>at(container, "resources", "requests")).containsKeys("cpu", "memory");
            assertThat(YamlPaths.<Map<String, Object>>at(container, "resources", "limits")).containsKey("memory");
            assertThat((Boolean) at(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
            assertThat((String) at(container, "image")).as("a released image").contains("/stillpoint/" + service + ":");
            for (Map<String, Object> env : YamlPaths.<List<Map<String, Object>>>at(container, "env")) {
                String name = (String) env.get("name");
                if (name.equals("SPRING_PROFILES_ACTIVE")) {
                    assertThat((String) env.get("value")).as(service + " profile").doesNotContain("local");
                }
                if (name.equals("STILLPOINT_MASTER_KEY") || name.equals("STILLPOINT_SIGNING_KEY")
                        || name.startsWith("MONGODB_URI") || name.contains("JAAS")) {
                    assertThat(env).as(service + " " + name + " comes from a secret").doesNotContainKey("value");
                    assertThat((Object) at(env, "valueFrom", "secretKeyRef", "name")).isNotNull();
                }
            }
            if (!service.equals("gateway")) {
                assertThat(names(YamlPaths.<List<Map<String, Object>>>at(container, "env")))
                        .as(service + " needs a master key and a signing key")
                        .contains("STILLPOINT_MASTER_KEY", "STILLPOINT_SIGNING_KEY");
                if (!service.equals("consent-service")) {
                    assertThat(names(YamlPaths.<List<Map<String, Object>>>at(container, "env")))
                            .as(service + " verifies the records it reads").contains("STILLPOINT_SIGNING_JWKS_URI");
                }
            }
            assertThat(find(objects, "PodDisruptionBudget", service)).isNotNull();
            assertThat((Integer) at(find(objects, "HorizontalPodAutoscaler", service), "spec", "minReplicas"))
                    .isGreaterThanOrEqualTo(2);
        }
        assertThat(objects).as("no secret is written into the manifests")
                           .noneMatch(o -> "Secret".equals(o.get("kind")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void kafkaAndMongoDbAreReplicatedAndTheEventTopicsKeepTheirHistory(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        assertThat((Integer) at(find(objects, "KafkaNodePool", "nodes"), "spec", "replicas")).isEqualTo(3);
        Map<String, Object> kafka = find(objects, "Kafka", "stillpoint");
        assertThat(String.valueOf((Object) at(kafka, "spec", "kafka", "config", "min.insync.replicas"))).isEqualTo("2");
        assertThat((String) at(kafka, "spec", "kafka", "authorization", "type")).isEqualTo("simple");
        for (String topic : List.of("stillpoint.consent.v1", "stillpoint.session.v1", "stillpoint.referral.v1",
                                    "stillpoint.access.v1")) {
            Map<String, Object> spec = objects.stream()
                    .filter(o -> "KafkaTopic".equals(o.get("kind")))
                    .map(o -> YamlPaths.<Map<String, Object>>at(o, "spec"))
                    .filter(s -> topic.equals(s.get("topicName"))).findFirst().orElseThrow();
            assertThat((Integer) spec.get("replicas")).as(topic).isEqualTo(3);
            assertThat(String.valueOf((Object) at(spec, "config", "retention.ms"))).as(topic + " kept").isEqualTo("-1");
            assertThat(String.valueOf((Object) at(spec, "config", "min.insync.replicas"))).isEqualTo("2");
        }
        for (String service : SERVICES.subList(1, SERVICES.size())) {
            List<Map<String, Object>> acls = at(find(objects, "KafkaUser", service), "spec", "authorization", "acls");
            List<String> written = acls.stream().filter(a -> YamlPaths.<List<String>>at(a, "operations").contains("Write"))
                                       .map(a -> (String) at(a, "resource", "name")).toList();
            String own = "stillpoint." + service.replace("-service", "") + ".v1";
            assertThat(written).as(service + " writes only its own topics and their organisation topics")
                               .allMatch(t -> t.equals("stillpoint.access.v1") || t.equals("stillpoint.access.v1.")
                                       || t.startsWith("stillpoint.dlt." + service) || t.equals(own)
                                       || t.equals(own + "."));
        }
        assertThat((Integer) at(find(objects, "MongoDBCommunity", "stillpoint-mongodb"), "spec", "members")).isEqualTo(3);
    }

    /**
     * An organisation's integrator reads exactly its organisation's five topics, which are kept forever, and writes
     * nothing; nobody but the services reads a service topic, which carries every organisation.
     */
    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void anIntegratorReadsExactlyItsOrganisationsTopics(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        List<String> topics = List.of("consent", "session", "referral", "access", "directory").stream()
                                  .map(t -> "stillpoint." + t + ".v1.stillwater").toList();
        List<Map<String, Object>> acls = at(find(objects, "KafkaUser", "integrator-stillwater"), "spec", "authorization",
                                            "acls");
        assertThat(acls).allSatisfy(acl -> assertThat(YamlPaths.<List<String>>at(acl, "operations"))
                .isSubsetOf("Read", "Describe"));
        assertThat(acls.stream().filter(a -> "topic".equals(at(a, "resource", "type"))))
                .allSatisfy(acl -> assertThat((String) at(acl, "resource", "patternType")).isEqualTo("literal"))
                .extracting(acl -> (String) at(acl, "resource", "name")).containsExactlyInAnyOrderElementsOf(topics);
        assertThat(acls.stream().filter(a -> "group".equals(at(a, "resource", "type"))))
                .extracting(acl -> (String) at(acl, "resource", "name")).containsExactly("integrator-stillwater-");
        for (String topic : topics) {
            Map<String, Object> spec = objects.stream().filter(o -> "KafkaTopic".equals(o.get("kind")))
                    .map(o -> YamlPaths.<Map<String, Object>>at(o, "spec"))
                    .filter(t -> topic.equals(t.get("topicName"))).findFirst().orElseThrow();
            assertThat(String.valueOf((Object) at(spec, "config", "retention.ms"))).as(topic + " kept").isEqualTo("-1");
            assertThat((Integer) spec.get("replicas")).isEqualTo(3);
        }
        List<String> serviceTopics = List.of("stillpoint.consent.v1", "stillpoint.session.v1", "stillpoint.referral.v1",
                                             "stillpoint.access.v1");
        objects.stream().filter(o -> "KafkaUser".equals(o.get("kind")))
               .filter(o -> !SERVICES.contains((String) at(o, "metadata", "name")))
               .forEach(user -> assertThat(YamlPaths.<List<Map<String, Object>>>at(user, "spec", "authorization", "acls"))
                       .as((String) at(user, "metadata", "name") + " reads no service topic")
                       .noneMatch(acl -> serviceTopics.stream().anyMatch(
                               t -> ((String) at(acl, "resource", "name")).startsWith(t)
                                       && !((String) at(acl, "resource", "name")).startsWith(t + "."))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyPublisherChecksItsTopicsAgainstWhatTheClusterCreates(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        for (String service : SERVICES.subList(1, SERVICES.size())) {
            Map<String, Object> container = YamlPaths.<List<Map<String, Object>>>at(
                    find(objects, "Deployment", service), "spec", "template", "spec", "containers").getFirst();
            Map<String, String> env = new java.util.HashMap<>();
            for (Map<String, Object> variable : YamlPaths.<List<Map<String, Object>>>at(container, "env")) {
                env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
            }
            String own = service.equals("audit-service") || service.equals("delivery-service") ? "stillpoint.access.v1"
                    : "stillpoint." + service.replace("-service", "") + ".v1";
            for (String topic : List.of(own, "stillpoint.access.v1")) {
                Map<String, Object> spec = objects.stream()
                        .filter(o -> "KafkaTopic".equals(o.get("kind")))
                        .map(o -> YamlPaths.<Map<String, Object>>at(o, "spec"))
                        .filter(t -> topic.equals(t.get("topicName"))).findFirst().orElseThrow();
                assertThat(env.get("STILLPOINT_PUBLICATION_PARTITIONS")).as(service + " " + topic + " partitions")
                                                                        .isEqualTo(String.valueOf(spec.get("partitions")));
                assertThat(env.get("STILLPOINT_PUBLICATION_REPLICAS")).as(service + " " + topic + " replicas")
                                                                      .isEqualTo(String.valueOf(spec.get("replicas")));
                assertThat(env.get("STILLPOINT_PUBLICATION_MININSYNCREPLICAS")).as(service + " min.insync.replicas")
                        .isEqualTo(String.valueOf((Object) at(spec, "config", "min.insync.replicas")));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void trafficIsClosedByDefaultAndOnlyTheGatewayIsReachableFromOutside(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Object> deny = find(objects, "NetworkPolicy", "default-deny");
        assertThat((Map<?, ?>) at(deny, "spec", "podSelector")).isEmpty();
        assertThat(YamlPaths.<List<String>>at(deny, "spec", "policyTypes")).contains("Ingress", "Egress");
        List<Map<String, Object>> fromOutside = objects.stream().filter(o -> "NetworkPolicy".equals(o.get("kind")))
                .filter(o -> String.valueOf((Object) at(o, "spec", "ingress")).contains("namespaceSelector")).toList();
        assertThat(fromOutside).extracting(o -> String.valueOf((Object) at(o, "spec", "podSelector")))
                               .allMatch(selector -> selector.contains("gateway"));
        assertThat(objects).filteredOn(o -> "Service".equals(o.get("kind")))
                           .allSatisfy(s -> assertThat(((Map<?, ?>) s.get("spec")).get("type")).isNull());
    }

    private static List<Map<String, Object>> render(String overlay) throws IOException, InterruptedException {
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
                .redirectErrorStream(true).start();
        String yaml = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kustomize.exitValue()).as(yaml).isZero();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                objects.add(object);
            }
        }
        assertThat(objects).isNotEmpty();
        return objects;
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")))
                      .filter(o -> name.equals(((Map<?, ?>) o.get("metadata")).get("name")))
                      .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static List<String> names(List<Map<String, Object>> env) {
        return env.stream().map(e -> (String) e.get("name")).toList();
    }

    private static boolean available() {
        try {
            Process version = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
