package org.stillpoint.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.stillpoint.contracts.SignedContent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract check every record a test reads off a topic goes through ({@link TopicReader}): a record a service
 * published carries the CloudEvents attributes, its signature and proof, and a value its type's JSON Schema accepts
 * (the schemas of {@code contracts}, loaded by their relative references). Records a test wrote by hand
 * ({@link HandMadeRecords} marks them) and parked records on the dead-letter topics are what they are and are left alone.
 */
public final class PublishedRecords {

    /** The header {@link HandMadeRecords} puts on what it writes; no service writes it. */
    static final String HAND_MADE = "stillpoint-test-hand-made";
    private static final List<String> REQUIRED = List.of("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time",
                                                         "ce_subject", SignedContent.HEADER, SignedContent.PROOF_HEADER);
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig STRICT = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
                                                                               .build();
    private static final Map<String, JsonSchema> BY_TYPE = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private PublishedRecords() {
    }

    /** @throws AssertionError naming what is wrong, when a published record does not keep the contract */
    public static void check(ConsumerRecord<?, byte[]> record) {
        if (record.topic().startsWith("stillpoint.dlt.") || record.headers().lastHeader(HAND_MADE) != null) {
            return;
        }
        String where = record.topic() + "@" + record.partition() + ":" + record.offset();
        for (String name : REQUIRED) {
            Header header = record.headers().lastHeader(name);
            if (header == null || header.value().length == 0) {
                throw new AssertionError(where + " has no " + name);
            }
        }
        String type = new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8);
        JsonSchema schema = BY_TYPE.computeIfAbsent(type, PublishedRecords::schemaOf);
        JsonNode value;
        try {
            value = JSON.readTree(record.value());
        } catch (IOException e) {
            throw new AssertionError(where + " (" + type + ") is not JSON", e);
        }
        Set<ValidationMessage> errors = schema.validate(value);
        if (!errors.isEmpty()) {
            throw new AssertionError(where + " (" + type + ") does not match its schema: " + errors);
        }
    }

    private static JsonSchema schemaOf(String type) {
        if (!type.matches("[a-z0-9.-]+") || PublishedRecords.class.getClassLoader()
                                                                  .getResource("schemas/" + type + ".json") == null) {
            throw new AssertionError("a record of type " + type + " was published, which has no schema in contracts");
        }
        return SCHEMAS.getSchema(SchemaLocation.of("classpath:schemas/" + type + ".json"), STRICT);
    }
}
