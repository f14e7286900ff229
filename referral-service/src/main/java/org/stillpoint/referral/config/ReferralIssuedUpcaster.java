package org.stillpoint.referral.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.platform.crypto.FieldCipher;

/**
 * Loads a stored revision-1 {@link ReferralIssued}, whose recipient contact is in clear, as revision 2: the contact
 * sealed with the client's key as {@link SealedFields#RECIPIENT_CONTACT}. So the aggregate, the projection and the
 * publication of an event stored before revision 2 see one shape, and a re-published old event carries no contact in
 * clear. The stored event itself is not rewritten (the store is append-only); erasing the client shreds the key its
 * upcast form is sealed with, not the clear contact of the stored revision 1 — said in docs/DESIGN.md §5.
 */
@Component
public class ReferralIssuedUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType(ReferralIssued.class.getName(), "1");
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(ReferralIssued.class.getName(), "2");

    private final FieldCipher cipher;
    private final ObjectMapper json;

    public ReferralIssuedUpcaster(FieldCipher cipher, ObjectMapper stillpointEventJson) {
        this.cipher = cipher;
        this.json = stillpointEventJson;
    }

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, this::sealContact);
    }

    JsonNode sealContact(JsonNode payload) {
        ObjectNode event = payload.deepCopy();
        JsonNode recipient = event.path("recipient");
        if (recipient instanceof ObjectNode to) {
            JsonNode contact = to.path("contact");
            Recipient.Contact clear = contact.isObject()
                    ? new Recipient.Contact(text(contact, "email"), text(contact, "phone"))
                    : new Recipient.Contact(null, null);
            to.set("contact", json.valueToTree(cipher.sealJson(ClientId.of(event.path("clientId").asText()),
                                                               SealedFields.RECIPIENT_CONTACT, clear)));
        }
        return event;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
