package org.stillpoint.verifier;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The Merkle tree over an organisation's ledger links, as Certificate Transparency builds its logs (RFC 9162 §2.1):
 * leaf {@code i} is SHA-256 of {@code 0x00} and the 32 bytes of link {@code i}'s hash; a node is SHA-256 of
 * {@code 0x01}, its left child and its right child; the tree of {@code n} leaves splits at the largest power of two
 * below {@code n}. A signed checkpoint names the tree's size and head; a link is proved part of it by an inclusion
 * path of about log2(n) hashes, whatever the size of the organisation's history.
 */
public final class MerkleTree {

    private static final HexFormat HEX = HexFormat.of();

    private MerkleTree() {
    }

    /** The leaf hash of a link, from the link's hash (hex). */
    public static String leaf(String linkHash) {
        byte[] hash = HEX.parseHex(linkHash);
        byte[] input = new byte[hash.length + 1];
        System.arraycopy(hash, 0, input, 1, hash.length);
        return HEX.formatHex(EventHash.sha256(input));
    }

    /** An inner node from its children (hex). */
    public static String node(String left, String right) {
        byte[] l = HEX.parseHex(left);
        byte[] r = HEX.parseHex(right);
        byte[] input = new byte[1 + l.length + r.length];
        input[0] = 1;
        System.arraycopy(l, 0, input, 1, l.length);
        System.arraycopy(r, 0, input, 1 + l.length, r.length);
        return HEX.formatHex(EventHash.sha256(input));
    }

    /** The largest power of two strictly below {@code n} (n ≥ 2). */
    public static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    /**
     * Whether {@code path} proves leaf {@code leafHash} at {@code index} part of the tree of {@code size} leaves whose
     * head is {@code root} (RFC 9162 §2.1.3.2).
     */
    public static boolean includes(long index, long size, String leafHash, List<String> path, String root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        String r = leafHash;
        for (String p : path) {
            if (sn == 0) {
                return false;
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
        return sn == 0 && MessageDigest.isEqual(HEX.parseHex(r), HEX.parseHex(root));
    }
}
