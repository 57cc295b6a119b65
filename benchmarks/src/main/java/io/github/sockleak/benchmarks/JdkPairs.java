package io.github.sockleak.benchmarks;

import static io.github.sockleak.benchmarks.MarkdownTable.ms;
import static io.github.sockleak.benchmarks.Stats.median;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The clean check of this JVM's JDK against another JDK's, at 0 background connections, as a ratio measured in one
 * run: a JVM of each JDK in turn, in pairs whose order alternates (this JDK first, then the other first), each pair
 * giving the ratio of its two checks. On a shared machine one JVM's check differs from the next one's by more than
 * the two JDKs do, so a ratio of two runs made minutes apart says little; the median of many pairs, with its 95%
 * interval, says how far apart the JDKs are.
 *
 * <p>Each JVM starts with this one's options ({@code -javaagent}, native access) and class path, and measures with
 * {@link TestRuns} as the check table does.
 *
 * <pre>JdkPairs &lt;other JDK's home&gt; &lt;pairs&gt; &lt;tests per figure&gt;</pre>
 */
public final class JdkPairs {

    private static final String RESULT = "check-ns ";

    /** The JVM being measured, ended by its PID if this one is stopped before it ends. */
    private static volatile Process running;

    private JdkPairs() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3 || Integer.parseInt(args[1]) < 1) {
            throw new IllegalArgumentException("usage: JdkPairs <other JDK's home> <pairs> <tests per figure>");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process measured = running;
            if (measured != null) {
                measured.destroyForcibly();
            }
        }));
        Path thisHome = Path.of(System.getProperty("java.home"));
        Path otherHome = Path.of(args[0]);
        int pairs = Integer.parseInt(args[1]);
        int tests = Integer.parseInt(args[2]);
        List<Double> these = new ArrayList<>();
        List<Double> others = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        Check mine = null;
        Check theirs = null;
        for (int pair = 0; pair < pairs; pair++) {
            boolean thisFirst = pair % 2 == 0;
            Check first = check(thisFirst ? thisHome : otherHome, tests);
            Check second = check(thisFirst ? otherHome : thisHome, tests);
            mine = thisFirst ? first : second;
            theirs = thisFirst ? second : first;
            these.add(mine.nanos);
            others.add(theirs.nanos);
            ratios.add(mine.nanos / theirs.nanos);
            System.err.printf("jdks: pair %d of %d: %s %s, %s %s, ratio %.2f%n", pair + 1, pairs, mine.jdk, ms(mine.nanos),
                    theirs.jdk, ms(theirs.nanos), mine.nanos / theirs.nanos);
        }
        String thisName = mine.jdk;
        String otherName = theirs.jdk;
        MarkdownTable table = new MarkdownTable("The clean check on " + thisName + " against " + otherName
                + ", 0 background connections, in " + pairs + " pairs of JVMs (medians)",
                "pairs", "check, " + thisName, "check, " + otherName, thisName + " / " + otherName + ", median of pairs",
                "95% interval of that ratio", "each pair's ratio, in order");
        List<String> cells = new ArrayList<>(List.of(String.valueOf(pairs), ms(median(these)), ms(median(others))));
        cells.addAll(MarkdownTable.pairedRatios(ratios));
        table.row(cells);
        table.note("Each JVM: " + tests + " checked and " + tests + " unchecked empty tests after its warm-up, the check a"
                + " checked test's median wall time minus an unchecked one's; pairs alternate which JDK runs first.");
        table.note(thisName + " read " + mine.source + "; " + otherName + " read " + theirs.source + ".");
        table.print(System.out);
    }

    /** One JVM's clean check, in nanoseconds, with its JDK and the source its snapshots read. */
    private record Check(String jdk, String source, double nanos) {
    }

    private static Check check(Path javaHome, int tests) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OneJvm.class.getName(), String.valueOf(tests)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        running = process;
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        running = null;
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + ": " + output);
        }
        String result = output.lines().filter(line -> line.startsWith(RESULT)).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException(command.get(0) + " printed no result: " + output));
        String[] words = result.substring(RESULT.length()).split(" ", 2);
        String[] jdkAndSource = words[1].split("\t", 2);
        return new Check(jdkAndSource[0], jdkAndSource[1], Double.parseDouble(words[0]));
    }

    /** One JVM of a pair: prints its clean check's median and its JDK with the source its snapshots read. */
    public static final class OneJvm {

        private OneJvm() {
        }

        public static void main(String[] args) {
            int tests = Integer.parseInt(args[0]);
            SocketSnapshot first = Sockets.snapshot();
            double check = new TestRuns().cleanCheck(tests).check();
            System.out.println(RESULT + check + " JDK " + Runtime.version().feature() + "\t" + first.source() + ", "
                    + first.sourceReason());
        }
    }
}
