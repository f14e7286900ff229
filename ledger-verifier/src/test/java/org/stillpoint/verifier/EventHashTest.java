package org.stillpoint.verifier;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventHashTest {

    @Test
    void versionOneIsAmbiguousAndVersionTwoIsNot() {
        Map<String, String> honest = Map.of("ce_id", "e1", "ce_type", "x");
        Map<String, String> resplit = Map.of("ce_id", "e1\nce_type=x");
        assertThat(EventHash.of(1, honest, "{}")).as("version 1 re-splits").isEqualTo(EventHash.of(1, resplit, "{}"));
        assertThat(EventHash.of(2, honest, "{}")).isNotEqualTo(EventHash.of(2, resplit, "{}"));
        // nor can a value move into the headers
        assertThat(EventHash.of(2, Map.of("a", "1"), "b")).isNotEqualTo(EventHash.of(2, Map.of("a", "1\n1:b"), ""));
    }

    @Test
    void theSignatureHeadersAreLeftOutAndAbsentVersionMeansOne() {
        Map<String, String> headers = Map.of("ce_id", "e1");
        assertThat(EventHash.of(2, Map.of("ce_id", "e1", "ce_signature", "s", "ce_signatureproof", "p"), "{}"))
                .isEqualTo(EventHash.of(2, headers, "{}"));
        assertThat(EventHash.of(0, headers, "{}")).isEqualTo(EventHash.of(1, headers, "{}"));
        assertThat(EventHash.of(2, Map.of("n", "é"), "")).as("lengths count UTF-8 bytes")
                .isEqualTo(EventHash.sha256("stillpoint-event/2\n1:n2:é\n0:"));
    }

    @Test
    void everyLeafOfEveryTreeSizeIsProvedByItsPathAndNoOtherLeafIs() {
        for (int size = 1; size <= 33; size++) {
            List<String> leaves = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                leaves.add(MerkleTree.leaf(EventHash.sha256("link " + i)));
            }
            String root = Trees.root(leaves, 0, size);
            for (int i = 0; i < size; i++) {
                List<String> path = Trees.path(leaves, i, 0, size);
                assertThat(MerkleTree.includes(i, size, leaves.get(i), path, root)).as("leaf %d of %d", i, size).isTrue();
                if (size > 1) {
                    int other = (i + 1) % size;
                    assertThat(MerkleTree.includes(i, size, leaves.get(other), path, root)).isFalse();
                    assertThat(MerkleTree.includes(other, size, leaves.get(i), path, root)).isFalse();
                }
            }
        }
    }
}
