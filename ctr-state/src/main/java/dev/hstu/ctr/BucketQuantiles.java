package dev.hstu.ctr;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Popularity quantiles that split keys into buckets: q quantiles give q + 1 buckets, 0 the
 * coldest. The default {@code 0.8} puts the top 20% of keys by popularity in bucket 1 (hot).
 */
public final class BucketQuantiles implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] quantiles;

    private BucketQuantiles(double[] quantiles) {
        this.quantiles = quantiles;
    }

    /**
     * Strictly increasing quantiles, each in (0, 1).
     *
     * @throws InvalidCtrInputException otherwise
     */
    public static BucketQuantiles of(double... quantiles) {
        double previous = 0;
        for (double q : quantiles) {
            if (!(q > previous && q < 1)) {
                throw new InvalidCtrInputException(
                        "bucket quantiles " + Arrays.toString(quantiles) + " must be strictly increasing in (0, 1)");
            }
            previous = q;
        }
        return new BucketQuantiles(quantiles.clone());
    }

    /** Parses {@code "0.5,0.9"}. */
    public static BucketQuantiles parse(String text) {
        String[] parts = text.split(",");
        double[] qs = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                qs[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidCtrInputException("bucket quantile '" + parts[i] + "' is not a number");
            }
        }
        return of(qs);
    }

    /** The quantiles, ascending. */
    public double[] values() {
        return quantiles.clone();
    }

    /** Number of quantiles. */
    public int size() {
        return quantiles.length;
    }

    /** The i-th quantile. */
    public double get(int i) {
        return quantiles[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketQuantiles other && Arrays.equals(quantiles, other.quantiles);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(quantiles);
    }

    @Override
    public String toString() {
        return Arrays.toString(quantiles);
    }
}
