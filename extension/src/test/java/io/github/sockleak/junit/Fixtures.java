package io.github.sockleak.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.testing.Loopback;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs fixture classes through the JUnit Platform, as a user's build would, and owns every socket the fixtures
 * open, so that what one fixture leaks on purpose is closed before the next test.
 */
final class Fixtures {

    /** Sockets the fixtures open; closed by {@link #closeAll()}. */
    static final Loopback NET = new Loopback();
    /** For fixtures that close something a little after their test ends. */
    static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fixture-later");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * How long a parallel fixture waits for its partner test: a deadline, reached only when something is wrong, and
     * generous because on a loaded 2-core machine the pool may start the second test late.
     */
    static final long PARTNER_DEADLINE_SECONDS = 30;

    /** JUnit's parallel mode as the parallel fixtures run in it: concurrent, a fixed pool of 4 threads. */
    static final String[] PARALLEL = {
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"};

    /** Sockets fixtures open and leave open on purpose; synchronised, as pool threads open some. */
    private static final List<Closeable> TRACKED = Collections.synchronizedList(new ArrayList<>());

    private Fixtures() {
    }

    /** Keeps {@code closeable} to be closed by {@link #closeTracked()}, after the fixture's check has seen it. */
    static <T extends Closeable> T track(T closeable) {
        TRACKED.add(closeable);
        return closeable;
    }

    /** Closes what fixtures tracked, so that the next test does not see it, whatever this one did. */
    static void closeTracked() {
        synchronized (TRACKED) {
            for (Closeable closeable : TRACKED) {
                try {
                    closeable.close();
                } catch (IOException ignored) {
                    // best effort: the next test's outcome must not depend on this one's sockets
                }
            }
            TRACKED.clear();
        }
    }

    static EngineExecutionResults run(Class<?> fixture, String... configuration) {
        return run(List.of(fixture), configuration);
    }

    /** Runs {@code fixtures} in one run: with {@link #PARALLEL}, the classes side by side. */
    static EngineExecutionResults run(List<Class<?>> fixtures, String... configuration) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter")
                .selectors(fixtures.stream().map(DiscoverySelectors::selectClass).toArray(DiscoverySelector[]::new));
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            builder.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return builder.execute();
    }

    static void closeAll() {
        NET.close();
    }

    /** The one failure among {@code events}; fails when there is none or more. */
    static Throwable onlyFailure(Events events) {
        List<Throwable> failures = failures(events);
        assertThat(failures).as("failures").hasSize(1);
        return failures.get(0);
    }

    static List<Throwable> failures(Events events) {
        return events.failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());
    }

    /**
     * What sockleak reported without failing, less the warnings that come from the namespace's counters alone on
     * {@code /proc}: any process of the machine can move those during a test.
     */
    static List<String> reportsBesideNamespaceCounters(EngineExecutionResults results) {
        return reports(results).stream()
                .filter(report -> !(report.contains(" saw a listener's accept queue overflow") && report.contains("whole network namespace")))
                .collect(Collectors.toList());
    }

    /** What sockleak reported without failing: its report entries. */
    static List<String> reports(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("sockleak"))
                .collect(Collectors.toList());
    }
}
