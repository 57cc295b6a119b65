package io.github.sockleak.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.junit.SocketLeakError;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs a library's three fixture classes side by side through the JUnit Platform, in JUnit's parallel mode as a
 * user's build would (concurrent classes, a fixed pool of 4 threads), as many times as
 * {@code sockleak.integration.repetitions} says, and expects every run to fail the leaky class alone, for its socket.
 */
final class ParallelRun {

    private static final Map<String, String> PARALLEL = Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

    private ParallelRun() {
    }

    /** How many runs: a few in the normal build, 20 with {@code -Dsockleak.integration.repetitions=20}. */
    static int repetitions() {
        return Integer.getInteger("sockleak.integration.repetitions", 3);
    }

    /**
     * Runs {@code leaky} beside {@code clean} and {@code cleanToo} {@link #repetitions()} times and expects each run to
     * fail {@code leaky} alone, blamed by name for the socket it recorded in its {@link Rendezvous}.
     *
     * @param leakyTest   the leaky test as reports name it: {@code OkHttpTest.Leaky.leaks()}
     * @param alsoReports what else the failure's message must say
     */
    static void expectOnlyLeakyFails(Class<?> leaky, Class<?> clean, Class<?> cleanToo, String leakyTest,
                                     Consumer<String> alsoReports) {
        int runs = repetitions();
        List<String> wrong = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Rendezvous rendezvous = Rendezvous.begin();
            try {
                EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                        .selectors(DiscoverySelectors.selectClass(leaky), DiscoverySelectors.selectClass(clean),
                                DiscoverySelectors.selectClass(cleanToo))
                        .configurationParameters(PARALLEL)
                        .execute();
                expectOnlyLeakyFailed(results, rendezvous, leakyTest, alsoReports);
            } catch (AssertionError e) {
                wrong.add("run " + run + ": " + e.getMessage());
            } finally {
                rendezvous.closeLeaked();
            }
        }
        System.out.printf("sockleak integration: %s: %d of %d runs failed the leaky class alone%n", leakyTest, runs - wrong.size(), runs);
        assertThat(wrong).as("runs that did not fail %s alone, of %d", leakyTest, runs).isEmpty();
    }

    private static void expectOnlyLeakyFailed(EngineExecutionResults results, Rendezvous rendezvous, String leakyTest,
                                              Consumer<String> alsoReports) {
        List<Throwable> failures = results.testEvents().failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());
        List<String> notes = notes(results);
        assertThat(failures).as("failures (sockleak's notes: %s)", notes).hasSize(1);
        assertThat(results.testEvents().succeeded().count()).as("clean classes passed").isEqualTo(2);
        Throwable failure = failures.get(0);
        assertThat(failure).isInstanceOf(SocketLeakError.class);
        String report = failure.getMessage();
        if (Boolean.getBoolean("sockleak.integration.showReports")) {
            System.out.println(report);
        }
        assertThat(report)
                .startsWith("sockleak: " + leakyTest + " leaked")
                .containsPattern(row(rendezvous.leakedLocal(), rendezvous.leakedRemote()))
                .contains("in test " + leakyTest)
                .doesNotContain("may be blamed for theirs");
        alsoReports.accept(report);
        assertThat(notes).as("what sockleak noted without failing: nothing unattributed").isEmpty();
    }

    /** The report's row of the leaked socket: its whole 4-tuple, local end then peer. */
    static Pattern row(InetSocketAddress local, InetSocketAddress remote) {
        assertThat(local).as("the leaky fixture's socket").isNotNull();
        return Pattern.compile(Pattern.quote(local.getAddress().getHostAddress() + ":" + local.getPort()) + "\\s+"
                + Pattern.quote(remote.getAddress().getHostAddress() + ":" + remote.getPort()) + "\\s");
    }

    /**
     * What sockleak reported without failing, less the warnings that come from the namespace's counters alone on
     * {@code /proc}: any process of the machine can move those during a run.
     */
    private static List<String> notes(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("sockleak"))
                .filter(note -> note != null && !(note.contains(" saw a listener's accept queue overflow") && note.contains("whole network namespace")))
                .collect(Collectors.toList());
    }
}
