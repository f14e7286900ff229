package org.stillpoint.platform.input;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * One rule for every instant the API reads or writes: ISO-8601 in UTC, to the millisecond at most. A finer instant in
 * a request is taken to its millisecond (what every store keeps), so what is answered is what was recorded.
 */
public final class Instants {

    private Instants() {
    }

    /** The module for the web layer's JSON mapper. */
    public static SimpleModule module() {
        return new SimpleModule("stillpoint-instants")
                .addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
                    @Override
                    public void serialize(Instant value, JsonGenerator out, SerializationContext context) {
                        out.writeString(value.truncatedTo(ChronoUnit.MILLIS).toString());
                    }
                })
                .addDeserializer(Instant.class, new StdDeserializer<>(Instant.class) {
                    @Override
                    public Instant deserialize(JsonParser in, DeserializationContext context) {
                        String text = in.getValueAsString();
                        if (text == null) {
                            return (Instant) context.handleUnexpectedToken(Instant.class, in);
                        }
                        try {
                            return Instant.parse(text.strip()).truncatedTo(ChronoUnit.MILLIS);
                        } catch (DateTimeParseException e) {
                            return (Instant) context.handleWeirdStringValue(Instant.class, text,
                                    "an instant is ISO-8601 in UTC or with its offset, such as 2026-12-03T14:05:00Z");
                        }
                    }
                });
    }
}
