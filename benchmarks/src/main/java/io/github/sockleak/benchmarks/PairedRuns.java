package io.github.sockleak.benchmarks;

import static io.github.sockleak.benchmarks.Stats.median;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * A small difference between two settings of one JMH benchmark, on a machine whose speed drifts by more than that
 * difference from fork to fork: forks of the two settings run in pairs, one right after the other, in the order
 * A B, B A, A B..., and each pair gives a ratio of their medians. Drift slower than a pair cancels out of the ratio;
 * the rest is noise, which many pairs shrink. Prints the median ratio and a 95% confidence interval for it, from the
 * order statistics of the ratios (no assumption about their distribution).
 *
 * <p>Each fork warms up for 30 s by default: on 2 cores the JIT compiler still takes a third of the CPU 12 to 27 s into
 * a fork of {@code HttpGetBenchmark} (perf), and its time per request settles after about 25 s. A shorter warm-up
 * measures the compilation, which the agent's advice makes longer, more than the request.
 *
 * <pre>PairedRuns &lt;benchmark regex&gt; &lt;param&gt; &lt;baseline value&gt; &lt;other value&gt; &lt;pairs&gt; [iteration seconds [warm-up seconds]]</pre>
 */
public final class PairedRuns {

    private PairedRuns() {
    }

    public static void main(String[] args) throws RunnerException {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: PairedRuns <benchmark regex> <param> <baseline> <other> <pairs>"
                    + " [iteration seconds [warm-up seconds]]");
        }
        String benchmark = args[0];
        String param = args[1];
        String baseline = args[2];
        String other = args[3];
        int pairs = Integer.parseInt(args[4]);
        int seconds = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        int warmUp = args.length > 6 ? Integer.parseInt(args[6]) : 30;
        List<Double> baselines = new ArrayList<>();
        List<Double> others = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            boolean baselineFirst = pair % 2 == 0;
            double first = medianOf(benchmark, param, baselineFirst ? baseline : other, seconds, warmUp);
            double second = medianOf(benchmark, param, baselineFirst ? other : baseline, seconds, warmUp);
            double a = baselineFirst ? first : second;
            double b = baselineFirst ? second : first;
            baselines.add(a);
            others.add(b);
            ratios.add(b / a);
            System.err.printf("pair %d of %d: %s %.1f, %s %.1f, ratio %.3f%n", pair + 1, pairs, baseline, a, other, b, b / a);
        }
        double[] interval = Stats.medianInterval(ratios);
        MarkdownTable table = new MarkdownTable(benchmark + ": " + other + " against " + baseline + " in " + pairs
                + " pairs of forks (medians of JMH sample mode, µs per operation)",
                "pairs", baseline, other, "ratio, median of pairs", "95% interval of that ratio");
        table.row(String.valueOf(pairs), String.format("%.1f", median(baselines)), String.format("%.1f", median(others)),
                String.format("%.3f", median(ratios)),
                interval == null ? "n/a (too few pairs)"
                        : String.format("%.3f to %.3f", interval[0], interval[1]));
        table.note("Each fork: a warm-up of " + warmUp + " s, 3 measured iterations of " + seconds + " s; pairs alternate"
                + " which setting runs first.");
        table.print(System.out);
    }

    private static double medianOf(String benchmark, String param, String value, int seconds, int warmUp)
            throws RunnerException {
        Options options = new OptionsBuilder()
                .include(benchmark)
                .param(param, value)
                .mode(Mode.SampleTime)
                .forks(1)
                .warmupIterations(1)
                .warmupTime(TimeValue.seconds(warmUp))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(seconds))
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        RunResult result = new Runner(options).runSingle();
        return result.getPrimaryResult().getStatistics().getPercentile(50);
    }
}
