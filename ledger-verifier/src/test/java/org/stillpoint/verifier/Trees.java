package org.stillpoint.verifier;

import java.util.ArrayList;
import java.util.List;

/** RFC 9162's MTH and PATH by their definitions, over leaves in memory: what the tests check the tree code against. */
final class Trees {

    private Trees() {
    }

    static String root(List<String> leaves, int from, int to) {
        if (to - from == 1) {
            return leaves.get(from);
        }
        int k = (int) MerkleTree.split(to - from);
        return MerkleTree.node(root(leaves, from, from + k), root(leaves, from + k, to));
    }

    static List<String> path(List<String> leaves, int m, int from, int to) {
        List<String> path = new ArrayList<>();
        if (to - from <= 1) {
            return path;
        }
        int k = (int) MerkleTree.split(to - from);
        if (m - from < k) {
            path.addAll(path(leaves, m, from, from + k));
            path.add(root(leaves, from + k, to));
        } else {
            path.addAll(path(leaves, m, from + k, to));
            path.add(root(leaves, from, from + k));
        }
        return path;
    }
}
