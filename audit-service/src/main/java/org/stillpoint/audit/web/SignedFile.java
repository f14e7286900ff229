package org.stillpoint.audit.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stillpoint.platform.record.RecordSigner;
import org.stillpoint.verifier.Canonical;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An export signed as a whole, as ledger-verifier checks it: a JWS of the audit-service, typed for what the file is,
 * over a statement that names what the file is about and the SHA-256 of the file's canonical JSON ({@link Canonical});
 * the signature is the file's last member.
 */
final class SignedFile {

    private SignedFile() {
    }

    /**
     * {@code content} with its {@code signature}: {@code about} (format, organisation, what and when, in order) and the
     * content's digest, signed as a {@code type} statement.
     */
    static String of(ObjectMapper json, RecordSigner signer, String type, Map<String, Object> content,
                     Map<String, Object> about) {
        try {
            JsonNode tree = json.readTree(json.writeValueAsString(content));
            Map<String, Object> statement = new LinkedHashMap<>(about);
            statement.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                                          .digest(Canonical.bytes(tree))));
            ((ObjectNode) tree).put("signature", signer.signStatement(type, json.writeValueAsBytes(statement)));
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
