package org.stillpoint.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignedContentTest {

    @Test
    void everyLeafsProofLeadsToTheRootOfItsTree() {
        for (int size = 1; size <= 70; size++) {
            List<byte[]> leaves = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                leaves.add(SignedContent.leaf(("record " + i).getBytes(StandardCharsets.UTF_8)));
            }
            List<List<byte[]>> tree = SignedContent.tree(leaves);
            byte[] root = tree.getLast().getFirst();
            for (int i = 0; i < size; i++) {
                String proof = SignedContent.proof(tree, i);
                assertThat(SignedContent.root(leaves.get(i), proof)).as("leaf %d of %d", i, size).isEqualTo(root);
                if (size > 1) {
                    byte[] other = leaves.get((i + 1) % size);
                    assertThat(SignedContent.root(other, proof)).as("another leaf, same proof").isNotEqualTo(root);
                }
            }
        }
    }

    @Test
    void theTreeHashIsRfc9162s() {
        // RFC 9162 2.1.1: MTH of five leaves = HASH(0x01 || MTH(d0..d3) || d4)
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            leaves.add(SignedContent.leaf(new byte[]{(byte) i}));
        }
        byte[] left = SignedContent.tree(leaves.subList(0, 4)).getLast().getFirst();
        byte[] expected = SignedContent.tree(List.of(left, leaves.get(4))).getLast().getFirst();
        assertThat(SignedContent.tree(leaves).getLast().getFirst()).isEqualTo(expected);
        assertThat(SignedContent.proof(SignedContent.tree(List.of(leaves.get(0))), 0)).isEqualTo("0.1");
    }

    @Test
    void aMalformedOrMismatchedProofIsRefused() {
        byte[] leaf = SignedContent.leaf(new byte[]{1});
        for (String proof : new String[]{null, "", "0", "x.1", "1.1", "0.0", "0.2", "0.1.AAAA", "-1.3"}) {
            assertThatThrownBy(() -> SignedContent.root(leaf, proof)).as(String.valueOf(proof))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theContentCoversTopicKeyAttributesAndValueAndNoFieldBorrowsFromItsNeighbour() {
        Map<String, String> headers = Map.of("ce_id", "a", "ce_type", "bc");
        byte[] one = SignedContent.of("t", "k", headers::get, new byte[]{1});
        byte[] shifted = SignedContent.of("t", "k", Map.of("ce_id", "ab", "ce_type", "c")::get, new byte[]{1});
        assertThat(Arrays.equals(one, shifted)).isFalse();
        assertThat(Arrays.equals(one, SignedContent.of("u", "k", headers::get, new byte[]{1}))).isFalse();
        assertThat(Arrays.equals(one, SignedContent.of("t", "k", headers::get, new byte[]{2}))).isFalse();
        assertThat(Arrays.equals(one, SignedContent.of("t", "k", headers::get, new byte[]{1}))).isTrue();
    }
}
