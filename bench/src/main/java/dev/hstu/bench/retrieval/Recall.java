package dev.hstu.bench.retrieval;

import java.util.Arrays;

/** Recall@k: the share of the exact top-k ids that a search also returned, averaged over queries. */
final class Recall {

    private Recall() {}

    static double mean(int[][] exact, int[][] found) {
        double sum = 0;
        for (int q = 0; q < exact.length; q++) {
            int[] truth = exact[q].clone();
            Arrays.sort(truth);
            int hits = 0;
            for (int id : found[q]) {
                if (Arrays.binarySearch(truth, id) >= 0) {
                    hits++;
                }
            }
            sum += (double) hits / truth.length;
        }
        return sum / exact.length;
    }
}
