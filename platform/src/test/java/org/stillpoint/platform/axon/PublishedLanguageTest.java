package org.stillpoint.platform.axon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.access.RecordsListed;
import org.stillpoint.contracts.access.SubscriptionChanged;
import org.stillpoint.contracts.directory.DirectoryEvent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published language holds: every event type has a JSON Schema and an AsyncAPI entry in {@code contracts}, and a
 * golden sample of each revision that still reads into the current class, writes back unchanged, and matches the
 * schema. A renamed or removed field, or a schema that drifted from the code, fails here.
 */
class PublishedLanguageTest {

    private static final ObjectMapper JSON = EventJson.newMapper();
    /** The schemas refer to each other by relative paths, so they resolve from the files alone, here from the class path. */
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig STRICT = SchemaValidatorsConfig.builder()
                                                                               .formatAssertionsEnabled(true)
                                                                               .build();

    static Stream<Class<?>> eventTypes() {
        return new ClassFileImporter().importPackages("org.stillpoint.contracts").stream()
                                      .filter(c -> c.isAnnotatedWith(EventType.class))
                                      .map(JavaClass::reflect)
                                      .sorted((a, b) -> a.getName().compareTo(b.getName()))
                                      .map(c -> (Class<?>) c);
    }

    @Test
    void thereAreEventTypesToCheck() {
        assertThat(eventTypes()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void goldenSampleReadsIntoTheCurrentClassAndWritesBackUnchanged(Class<?> type) throws IOException {
        JsonNode sample = sample(type);
        Object event = JSON.treeToValue(sample, type);
        assertThat(normalised(JSON.valueToTree(event))).isEqualTo(normalised(sample));
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void goldenSampleMatchesTheSchema(Class<?> type) throws IOException {
        assertThat(schema(type).validate(sample(type))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void schemaRefusesAnEventWithoutItsClient(Class<?> type) throws IOException {
        ObjectNode broken = (ObjectNode) sample(type);
        broken.remove(key(type));
        Set<ValidationMessage> errors = schema(type).validate(broken);
        assertThat(errors).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains(key(type)));
    }

    /**
     * What an event is about: its client, or for a list of clients ({@link RecordsListed}), a webhook subscription
     * ({@link SubscriptionChanged}) and a change to the directory ({@link DirectoryEvent}) their organisation.
     */
    private static String key(Class<?> type) {
        return type == RecordsListed.class || type == SubscriptionChanged.class
                || DirectoryEvent.class.isAssignableFrom(type) ? "organisationId" : "clientId";
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void theSchemaFollowsItsRelativeReferenceToTheCommonDefinitions(Class<?> type) throws IOException {
        ObjectNode broken = (ObjectNode) sample(type);
        broken.put(key(type), "Not a client id, nor a code!");
        assertThat(schema(type).validate(broken)).as(key(type) + " checked by common.json's definitions")
                                                 .extracting(ValidationMessage::getMessage)
                                                 .anyMatch(m -> m.contains(key(type)));
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void asyncApiDocumentListsTheType(Class<?> type) throws IOException {
        try (InputStream in = resource("asyncapi.yaml")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("name: " + typeName(type));
        }
    }

    private static String typeName(Class<?> type) {
        EventType eventType = type.getAnnotation(EventType.class);
        return eventType.name() + ".v" + eventType.revision();
    }

    private static JsonNode sample(Class<?> type) throws IOException {
        String name = typeName(type);
        String service = name.split("\\.")[1];
        try (InputStream in = resource("samples/" + service + "/" + name + ".json")) {
            return JSON.readTree(in);
        }
    }

    private static JsonSchema schema(Class<?> type) {
        return SCHEMAS.getSchema(SchemaLocation.of("classpath:schemas/" + typeName(type) + ".json"), STRICT);
    }

    private static InputStream resource(String path) {
        InputStream in = PublishedLanguageTest.class.getClassLoader().getResourceAsStream(path);
        assertThat(in).as(path + " on the class path").isNotNull();
        return in;
    }

    /** Sets travel as arrays in no particular order; compare them sorted, and numbers by value, not width. */
    private static JsonNode normalised(JsonNode node) {
        if (node.isNumber()) {
            return JSON.getNodeFactory().numberNode(node.decimalValue());
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), normalised(field.getValue()));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            List<JsonNode> items = new ArrayList<>(StreamSupport.stream(array.spliterator(), false)
                                                                .map(PublishedLanguageTest::normalised).toList());
            items.sort((a, b) -> a.toString().compareTo(b.toString()));
            ArrayNode copy = JSON.createArrayNode();
            items.forEach(copy::add);
            return copy;
        }
        return node;
    }
}
