package dev.hstu.ctr;

/**
 * Count, mean and sum of squared deviations (M2) of a set of values, kept with Welford's update
 * and merged with Chan et al.'s pairwise formula, so partial moments from parallel subtasks
 * combine into the moments of the union. Values can also be taken out again ({@link #minus},
 * {@link #unmerge}), which is how a key's old contribution is replaced by its new one.
 *
 * @param count number of values
 * @param mean mean of the values (0 when empty)
 * @param m2 sum of squared deviations from the mean
 */
public record RunningMoments(long count, double mean, double m2) {

    /** Validates the moments. */
    public RunningMoments {
        if (count < 0) {
            throw new InvalidCtrInputException("moments count=" + count + " is negative");
        }
        if (!Double.isFinite(mean) || !Double.isFinite(m2)) {
            throw new InvalidCtrInputException("moments mean=" + mean + " m2=" + m2 + " must be finite");
        }
        if (count == 0) {
            mean = 0;
            m2 = 0;
        } else if (m2 < 0) {
            // Removing values can leave a rounding residue just below zero.
            m2 = 0;
        }
    }

    /** No values. */
    public static RunningMoments empty() {
        return new RunningMoments(0, 0, 0);
    }

    /** Adds one value. */
    public RunningMoments plus(double x) {
        checkValue(x);
        long n = count + 1;
        double delta = x - mean;
        double newMean = mean + delta / n;
        return new RunningMoments(n, newMean, m2 + delta * (x - newMean));
    }

    /**
     * Removes one value that was added before.
     *
     * @throws IllegalStateException when empty
     */
    public RunningMoments minus(double x) {
        checkValue(x);
        if (count == 0) {
            throw new IllegalStateException("cannot remove " + x + " from empty moments");
        }
        long n = count - 1;
        if (n == 0) {
            return empty();
        }
        double oldMean = (count * mean - x) / n;
        return new RunningMoments(n, oldMean, m2 - (x - oldMean) * (x - mean));
    }

    /** Moments of the union of both value sets. */
    public RunningMoments merge(RunningMoments other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        double newMean = mean + delta * ((double) other.count / n);
        double newM2 = m2 + other.m2 + delta * delta * ((double) count * other.count / n);
        return new RunningMoments(n, newMean, newM2);
    }

    /**
     * Moments with a previously merged subset taken out again (the inverse of {@link #merge}).
     *
     * @throws IllegalStateException when the subset is larger than this set
     */
    public RunningMoments unmerge(RunningMoments subset) {
        if (subset.count == 0) {
            return this;
        }
        if (subset.count > count) {
            throw new IllegalStateException("cannot remove " + subset.count + " values from " + count);
        }
        long n = count - subset.count;
        if (n == 0) {
            return empty();
        }
        double restMean = (count * mean - subset.count * subset.mean) / n;
        double delta = subset.mean - restMean;
        double restM2 = m2 - subset.m2 - delta * delta * ((double) n * subset.count / count);
        return new RunningMoments(n, restMean, restM2);
    }

    /** Population variance M2/count; 0 when empty. */
    public double variance() {
        return count == 0 ? 0 : m2 / count;
    }

    /** Square root of {@link #variance()}. */
    public double std() {
        return Math.sqrt(variance());
    }

    private static void checkValue(double x) {
        if (!Double.isFinite(x)) {
            throw new InvalidCtrInputException("moments value=" + x + " must be finite");
        }
    }
}
