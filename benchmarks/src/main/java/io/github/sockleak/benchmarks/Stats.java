package io.github.sockleak.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The statistics every table uses, so that a median means the same in all of them. */
public final class Stats {

    private Stats() {
    }

    /** The middle value; of an even count, the mean of the two middle ones. */
    public static double median(Collection<? extends Number> values) {
        List<Double> sorted = sorted(values);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** The nearest-rank percentile: the smallest value that {@code percent} % of the values do not exceed. */
    public static double percentile(Collection<? extends Number> values, int percent) {
        List<Double> sorted = sorted(values);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    public static double min(Collection<? extends Number> values) {
        return sorted(values).get(0);
    }

    public static double max(Collection<? extends Number> values) {
        return percentile(values, 100);
    }

    /** {@code a / b}, or NaN when there is no {@code b} to compare with. */
    public static double ratio(double a, double b) {
        return b > 0 ? a / b : Double.NaN;
    }

    /**
     * The bounds of a 95% confidence interval for the median of {@code values}, from their order statistics: the number
     * of values below the true median is binomial(n, 1/2), whose normal approximation gives the ranks n/2 ± 1.96·√n/2.
     *
     * @return the lower and the upper bound; null for fewer than 6 values, too few for such an interval
     */
    public static double[] medianInterval(Collection<? extends Number> values) {
        List<Double> sorted = sorted(values);
        int n = sorted.size();
        double half = 1.96 * Math.sqrt(n) / 2;
        int low = (int) Math.floor(n / 2.0 - half);
        int high = (int) Math.ceil(n / 2.0 + half) - 1;
        return n < 6 || low < 0 || high >= n ? null : new double[] {sorted.get(low), sorted.get(high)};
    }

    private static List<Double> sorted(Collection<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = new ArrayList<>(values.size());
        values.forEach(value -> sorted.add(value.doubleValue()));
        sorted.sort(null);
        return sorted;
    }
}
