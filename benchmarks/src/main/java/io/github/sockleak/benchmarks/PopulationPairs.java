package io.github.sockleak.benchmarks;

import static io.github.sockleak.benchmarks.MarkdownTable.count;
import static io.github.sockleak.benchmarks.MarkdownTable.ms;
import static io.github.sockleak.benchmarks.Stats.median;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import java.util.ArrayList;
import java.util.List;

/**
 * The clean check at N background connections against the same check at none, as a ratio measured in one run and one
 * JVM: pairs whose order alternates (none first, then N first), each pair giving check(N) / check(0). At a tenth of a
 * millisecond a check, one JVM's figures drift from one measurement to the next by as much as any effect of the
 * namespace, so the check table's one row per population says little about it; the median of many pairs, with its
 * 95% interval, says how far apart the two are.
 *
 * <p>The N connections are held by other processes ({@link Background#quiet()}), started before and ended after each
 * measurement at N, so that the measurement at 0 has none, and stopped while it runs ({@link Background#pause()}):
 * a dozen idle JVMs still wake their threads, and on 2 cores that alone would weigh on the measurement at N.
 *
 * <pre>PopulationPairs &lt;connections&gt; &lt;pairs&gt; &lt;tests per figure&gt;</pre>
 */
public final class PopulationPairs {

    private PopulationPairs() {
    }

    public static void main(String[] args) {
        if (args.length != 3 || Integer.parseInt(args[0]) < 1 || Integer.parseInt(args[1]) < 1) {
            throw new IllegalArgumentException("usage: PopulationPairs <connections> <pairs> <tests per figure>");
        }
        int connections = Integer.parseInt(args[0]);
        int pairs = Integer.parseInt(args[1]);
        int tests = Integer.parseInt(args[2]);
        SocketSnapshot first = Sockets.snapshot();
        TestRuns runs = new TestRuns();
        List<Double> atZero = new ArrayList<>();
        List<Double> atN = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            boolean zeroFirst = pair % 2 == 0;
            double firstCheck = check(runs, zeroFirst ? 0 : connections, tests);
            double secondCheck = check(runs, zeroFirst ? connections : 0, tests);
            double zero = zeroFirst ? firstCheck : secondCheck;
            double many = zeroFirst ? secondCheck : firstCheck;
            atZero.add(zero);
            atN.add(many);
            ratios.add(many / zero);
            System.err.printf("populations: pair %d of %d: check(%,d) %s, check(0) %s, ratio %.2f%n", pair + 1, pairs,
                    connections, ms(many), ms(zero), many / zero);
        }
        String n = count(connections);
        MarkdownTable table = new MarkdownTable("The clean check at " + n + " background connections against none, in "
                + pairs + " pairs in one JVM (medians)",
                "background connections", "pairs", "check(0)", "check(" + n + ")",
                "check(" + n + ") / check(0), median of pairs", "95% interval of that ratio", "each pair's ratio, in order");
        List<String> cells = new ArrayList<>(List.of(n, String.valueOf(pairs), ms(median(atZero)), ms(median(atN))));
        cells.addAll(MarkdownTable.pairedRatios(ratios));
        table.row(cells);
        table.note("Each figure: " + tests + " checked and " + tests + " unchecked empty tests after a warm-up, the check"
                + " a checked test's median wall time minus an unchecked one's; pairs alternate which population comes"
                + " first; the background's holders are started before each measurement at " + n + ", stopped"
                + " (SIGSTOP) while it runs, and ended after it.");
        table.note("JDK " + Runtime.version() + "; snapshots from " + first.source() + ", " + first.sourceReason() + ".");
        table.print(System.out);
    }

    /**
     * The clean check with {@code connections} held in the background, none left after. The holders are stopped while
     * it is measured: only their sockets are compared, not their JVMs' threads, which the measurement at 0 is without.
     */
    private static double check(TestRuns runs, int connections, int tests) {
        try (Background background = Background.quiet()) {
            background.growTo(connections);
            background.pause();
            try {
                return runs.cleanCheck(tests).check();
            } finally {
                background.resume();
            }
        }
    }
}
