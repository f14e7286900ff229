package org.stillpoint.contracts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * What a record's signature covers (DESIGN §4, and the AsyncAPI document).
 * <p>
 * A record's <em>content</em> is a version line, the topic, the key, every CloudEvents attribute of the record in a
 * fixed order and the SHA-256 of its value. Each field is written as its length in bytes, a colon, the bytes and a
 * newline, so no field can borrow from its neighbour; an absent attribute is written as length {@code -1}. The
 * {@code traceparent} header is not covered: it is tracing, not part of the event.
 * <p>
 * A producer signs the records it sends together at once: the contents' leaf hashes form a Merkle tree (RFC 9162
 * §2.1: leaf {@code SHA-256(0x00 || content)}, node {@code SHA-256(0x01 || left || right)}), and the detached JWS
 * (RFC 7515 appendix F, ES256) in {@value #HEADER} signs its root; {@value #PROOF_HEADER} carries the record's
 * inclusion proof ({@code <index>.<tree size>} and the path's hashes, each {@code .<base64url>}), from which a consumer
 * computes the root again (RFC 9162 §2.1.3.2) and checks the signature over it. A record sent alone is a tree of one:
 * its proof is {@code 0.1} and the root is its leaf hash. The JWS {@code kid} names a key of the JWKS the service
 * publishes.
 */
public final class SignedContent {

    public static final String VERSION = "stillpoint-record-signature/1";
    /** The CloudEvents extension carrying the signature. */
    public static final String HEADER = "ce_signature";
    /** The CloudEvents extension carrying the record's inclusion proof in the signed tree. */
    public static final String PROOF_HEADER = "ce_signatureproof";
    /** The covered headers (CloudEvents attributes of the Kafka binding), in the order they are written. */
    public static final List<String> ATTRIBUTES = List.of("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time",
                                                          "ce_subject", "content-type", "ce_aggregateid",
                                                          "ce_sequence");

    private SignedContent() {
    }

    /** @param header a header's value as text, or null when the record has none of that name */
    public static byte[] of(String topic, String key, Function<String, String> header, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        field(out, VERSION);
        field(out, topic);
        field(out, key);
        for (String attribute : ATTRIBUTES) {
            field(out, header.apply(attribute));
        }
        field(out, Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(value == null ? new byte[0] : value)));
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes("-1:\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.write('\n');
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The leaf hash of a record's content. */
    public static byte[] leaf(byte[] content) {
        MessageDigest sha = sha();
        sha.update((byte) 0x00);
        return sha.digest(content);
    }

    private static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha = sha();
        sha.update((byte) 0x01);
        sha.update(left);
        return sha.digest(right);
    }

    /**
     * The tree over {@code leaves}: {@code levels.get(0)} the leaves, the last level the root. A node without a sibling
     * at the end of a level moves up unchanged, which gives RFC 9162's tree hash.
     */
    public static List<List<byte[]>> tree(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("a tree needs a leaf");
        }
        List<List<byte[]>> levels = new java.util.ArrayList<>();
        levels.add(List.copyOf(leaves));
        while (levels.getLast().size() > 1) {
            List<byte[]> below = levels.getLast();
            List<byte[]> above = new java.util.ArrayList<>((below.size() + 1) / 2);
            for (int i = 0; i < below.size(); i += 2) {
                above.add(i + 1 < below.size() ? node(below.get(i), below.get(i + 1)) : below.get(i));
            }
            levels.add(above);
        }
        return levels;
    }

    /** The inclusion proof of leaf {@code index} in {@code tree}, as {@value #PROOF_HEADER} carries it. */
    public static String proof(List<List<byte[]>> tree, int index) {
        StringBuilder proof = new StringBuilder().append(index).append('.').append(tree.getFirst().size());
        int position = index;
        for (int level = 0; level < tree.size() - 1; level++) {
            List<byte[]> nodes = tree.get(level);
            int sibling = position ^ 1;
            if (sibling < nodes.size()) {
                proof.append('.').append(Base64.getUrlEncoder().withoutPadding().encodeToString(nodes.get(sibling)));
            }
            position /= 2;
        }
        return proof.toString();
    }

    /**
     * The root a leaf and its proof lead to (RFC 9162 §2.1.3.2).
     *
     * @throws IllegalArgumentException when the proof is malformed or does not fit its tree size
     */
    public static byte[] root(byte[] leaf, String proof) {
        String[] parts = proof == null ? new String[0] : proof.split("\\.", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("a proof starts with <index>.<tree size>");
        }
        long index;
        long size;
        try {
            index = Long.parseLong(parts[0]);
            size = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a proof starts with <index>.<tree size>");
        }
        if (index < 0 || size < 1 || index >= size || parts.length - 2 > 64) {
            throw new IllegalArgumentException("the proof's index is outside its tree");
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leaf;
        for (int i = 2; i < parts.length; i++) {
            byte[] p;
            try {
                p = Base64.getUrlDecoder().decode(parts[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a proof hash is not base64url");
            }
            if (sn == 0 || p.length != 32) {
                throw new IllegalArgumentException("the proof is longer than its tree");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new IllegalArgumentException("the proof is shorter than its tree");
        }
        return r;
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
