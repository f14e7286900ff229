package org.stillpoint.platform.axon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.security.Role;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract cannot drift from the code: every field of every published Java type is a property of its published
 * JSON Schema and the other way round, every enum's values are the schema's (the roles an access event names among
 * them), and the AsyncAPI document names every type.
 */
class ContractDriftTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyTypesFieldsAndEnumsAreItsSchemas() throws IOException {
        JsonNode common = schema("common.json");
        List<String> drift = new ArrayList<>();
        for (Class<?> type : PublishedTypes.all()) {
            String name = PublishedTypes.typeOf(type);
            JsonNode schema = schema(name + ".json");
            compare(name, type, schema, common, drift);
        }
        assertThat(drift).as("where the Java contract and its published schemas differ").isEmpty();
    }

    @Test
    void theRolesAnAccessEventNamesAreEveryRole() throws IOException {
        JsonNode roles = schema(PublishedTypes.typeOf(ClientAccessed.class) + ".json")
                .at("/properties/actorRoles/items/enum");
        assertThat(values(roles)).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Role.values()).map(Role::name).toList());
    }

    @Test
    void theAsyncApiDocumentNamesEveryType() throws IOException {
        String document;
        try (InputStream in = getClass().getResourceAsStream("/asyncapi.yaml")) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(PublishedTypes.all()).allSatisfy(type -> assertThat(document).contains(PublishedTypes.typeOf(type)));
    }

    private static void compare(String where, Class<?> type, JsonNode schema, JsonNode common, List<String> drift) {
        schema = resolve(schema, common);
        JsonNode properties = schema.path("properties");
        Set<String> java = new TreeSet<>();
        for (RecordComponent component : type.getRecordComponents()) {
            java.add(component.getName());
            JsonNode property = resolve(properties.path(component.getName()), common);
            if (property.isMissingNode()) {
                continue;
            }
            Class<?> element = elementOf(component.getGenericType(), component.getType());
            String path = where + "." + component.getName();
            if (element.isEnum()) {
                Set<String> declared = new TreeSet<>(Arrays.stream(element.getEnumConstants()).map(String::valueOf).toList());
                Set<String> published = new TreeSet<>(values(enumOf(property, common)));
                if (!declared.equals(published)) {
                    drift.add(path + ": Java " + declared + ", schema " + published);
                }
            } else if (element.isRecord() && element.getPackageName().startsWith("org.stillpoint.contracts")
                       && element.getRecordComponents().length > 1) {
                JsonNode object = Collection.class.isAssignableFrom(component.getType())
                        ? resolve(property.path("items"), common) : property;
                compare(path, element, object, common, drift);
            }
        }
        Set<String> published = new TreeSet<>();
        properties.fieldNames().forEachRemaining(published::add);
        if (!properties.isMissingNode() && !java.equals(published)) {
            drift.add(where + ": Java fields " + java + ", schema properties " + published);
        }
    }

    /** The enum a property allows: its own, its items', that of a oneOf's branch that is not null, or of an allOf's part. */
    private static JsonNode enumOf(JsonNode property, JsonNode common) {
        property = resolve(property, common);
        if (property.has("enum")) {
            return property.get("enum");
        }
        if (property.has("items")) {
            return enumOf(property.get("items"), common);
        }
        for (JsonNode branch : property.path("oneOf")) {
            JsonNode resolved = resolve(branch, common);
            if (!"null".equals(resolved.path("type").asText())) {
                return enumOf(resolved, common);
            }
        }
        for (JsonNode part : property.path("allOf")) {
            JsonNode values = enumOf(part, common);
            if (!values.isEmpty()) {
                return values;
            }
        }
        return JSON.createArrayNode();
    }

    /** A schema with its {@code $ref} (to common.json or within it) followed; a nullable oneOf to its other branch. */
    private static JsonNode resolve(JsonNode node, JsonNode common) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            node = common.at(ref.substring(ref.indexOf('#') + 1));
        }
        if (node.has("oneOf") && !node.has("properties") && !node.has("enum")) {
            for (JsonNode branch : node.get("oneOf")) {
                JsonNode resolved = resolve(branch, common);
                if (!"null".equals(resolved.path("type").asText()) && resolved.has("properties")) {
                    return resolved;
                }
            }
        }
        return node;
    }

    private static List<String> values(JsonNode array) {
        List<String> values = new ArrayList<>();
        Iterator<JsonNode> it = array.elements();
        it.forEachRemaining(v -> values.add(v.asText()));
        return values;
    }

    private static Class<?> elementOf(Type generic, Class<?> raw) {
        if (Collection.class.isAssignableFrom(raw) && generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
            return element;
        }
        return raw;
    }

    private static JsonNode schema(String file) throws IOException {
        try (InputStream in = ContractDriftTest.class.getResourceAsStream("/schemas/" + file)) {
            assertThat(in).as("schema " + file).isNotNull();
            return JSON.readTree(in);
        }
    }
}
