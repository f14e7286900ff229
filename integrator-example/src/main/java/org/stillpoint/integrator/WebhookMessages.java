package org.stillpoint.integrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Checks a webhook from Stillpoint as docs/INTEGRATORS.md ("Webhooks") describes, before anything of it is trusted:
 * the Standard Webhooks signature over {@code webhook-id.webhook-timestamp.body} under the subscription's secret (with
 * the reference implementation, which also refuses a timestamp more than five minutes off), then the record signature
 * of the publishing service over the record the CloudEvent carries — its topic ({@code kafkatopic}), key
 * ({@code partitionkey}), attributes and the exact bytes of {@code data_base64} — as a Kafka consumer checks it.
 */
public final class WebhookMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Webhook webhook;
    private final RecordSignatures signatures;

    /**
     * @param secret  the subscription's signing secret, {@code whsec_…}, shown once when it was registered
     * @param jwksUri where the services' record-signing keys are, with {@code {service}} for the service's name
     */
    public WebhookMessages(String secret, String jwksUri) {
        try {
            this.webhook = new Webhook(secret);
        } catch (EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("the webhook secret is empty", e);
        }
        this.signatures = new RecordSignatures(jwksUri);
    }

    /**
     * A message whose two signatures hold.
     *
     * @param sequence the event's place in its aggregate ({@code sequence}); null for events of no aggregate
     */
    public record Message(String webhookId, String eventId, String type, String source, String clientKey,
                          String aggregateId, Long sequence, String topic, long partition, long offset, byte[] data) {
    }

    /** Why a message was not taken: {@code webhook-signature} or {@code record-signature}, and the detail. */
    public static final class Refused extends Exception {

        private final String reason;

        Refused(String reason, String detail) {
            super(reason + ": " + detail);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /**
     * The message, once both its signatures hold.
     *
     * @param headers the request's headers by lower-case name ({@code webhook-id}, …)
     * @throws IOException when the publishing service's keys cannot be fetched (answer 503: the message comes again)
     */
    public Message check(byte[] body, Map<String, List<String>> headers)
            throws Refused, IOException, InterruptedException {
        try {
            webhook.verify(new String(body, StandardCharsets.UTF_8), headers);
        } catch (WebhookVerificationException e) {
            throw new Refused("webhook-signature", e.getMessage());
        }
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (IOException e) {
            throw new Refused("not-a-cloudevent", "the body is not JSON");
        }
        if (event == null || !event.isObject() || !event.hasNonNull("data_base64") || !event.hasNonNull("kafkatopic")) {
            throw new Refused("not-a-cloudevent", "the body is not a Stillpoint CloudEvent in structured mode");
        }
        byte[] data = Base64.getDecoder().decode(event.get("data_base64").asText());
        String source = text(event, "source");
        String service = source == null ? "" : source.substring(source.lastIndexOf('/') + 1);
        String problem = signatures.problem(text(event, "kafkatopic"), text(event, "partitionkey"),
                                            name -> header(event, name), data, service);
        if (problem != null) {
            throw new Refused("record-signature", problem);
        }
        String sequence = text(event, "sequence");
        return new Message(headers.get("webhook-id").getFirst(), text(event, "id"), text(event, "type"), source,
                           text(event, "partitionkey"), text(event, "aggregateid"),
                           sequence == null ? null : Long.parseLong(sequence), text(event, "kafkatopic"),
                           event.path("kafkapartition").asLong(), event.path("kafkaoffset").asLong(), data);
    }

    /** A Kafka header of the record, from the CloudEvent's attributes: {@code ce_x} is {@code x}. */
    private static String header(JsonNode event, String name) {
        if (name.equals("content-type")) {
            return text(event, "datacontenttype");
        }
        return name.startsWith("ce_") ? text(event, name.substring(3)) : null;
    }

    private static String text(JsonNode event, String name) {
        JsonNode value = event.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }
}
