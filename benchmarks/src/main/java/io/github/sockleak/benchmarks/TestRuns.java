package io.github.sockleak.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs test classes through the JUnit Platform as a build does, and times each test as a user meets it: its wall
 * time from start to finish, the extension's callbacks included. The medians of many short tests keep JUnit's noise
 * small.
 */
final class TestRuns {

    /** Each test's wall time in nanoseconds, and the failures, in the order the tests finished. */
    record Run(List<Long> durations, List<Throwable> failures) {

        /** @throws IllegalStateException when a test failed: a table of clean tests measures nothing then */
        Run allPassed() {
            if (!failures.isEmpty()) {
                throw new IllegalStateException("benchmark tests failed: " + failures);
            }
            return this;
        }
    }

    /** Per-test wall times of checked and unchecked tests, in nanoseconds. */
    record Comparison(List<Long> checked, List<Long> unchecked) {

        /** The extension's share of a checked test: JUnit's own cost per test taken out. */
        double check() {
            return Math.max(0, Stats.median(checked) - Stats.median(unchecked));
        }
    }

    /**
     * Batches run first and not timed, for at least this long: the JUnit machinery's and the extension's warm-up. The
     * first comparison in a JVM warms up longer: with less, its figures came out several times those of the next.
     */
    private static final long FIRST_WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static boolean warm;

    private final Launcher launcher = LauncherFactory.create();

    /**
     * At least {@code tests} tests of each class, in batches alternated (the order swapped every round), so that
     * whatever else the machine does weighs on both alike.
     */
    Comparison compare(Class<?> checked, Class<?> unchecked, int tests) {
        Map<String, List<Long>> times = alternate(Map.of("checked", () -> run(checked), "unchecked", () -> run(unchecked)), tests);
        return new Comparison(times.get("checked"), times.get("unchecked"));
    }

    /** The clean check: {@link #compare} of an empty test with the extension against the same test without it. */
    Comparison cleanCheck(int tests) {
        return compare(CheckedTests.EmptyChecked.class, CheckedTests.EmptyUnchecked.class, tests);
    }

    /**
     * At least {@code tests} tests of each batch, after the warm-up, with the batches run in turn and the order
     * rotated every round, so that whatever else the machine does weighs on all alike.
     *
     * @param batches each a named batch of tests, run as often as needed
     * @return each batch's per-test wall times, in nanoseconds, by name
     */
    <K> Map<K, List<Long>> alternate(Map<K, Supplier<Run>> batches, int tests) {
        List<K> names = new ArrayList<>(batches.keySet());
        long warmUpStart = System.nanoTime();
        do {
            names.forEach(name -> batches.get(name).get().allPassed());
        } while (System.nanoTime() - warmUpStart < (warm ? WARM_UP_NANOS : FIRST_WARM_UP_NANOS));
        warm = true;
        Map<K, List<Long>> times = new LinkedHashMap<>();
        names.forEach(name -> times.put(name, new ArrayList<>()));
        for (int round = 0; times.values().stream().anyMatch(each -> each.size() < tests); round++) {
            for (int i = 0; i < names.size(); i++) {
                K name = names.get((round + i) % names.size());
                times.get(name).addAll(batches.get(name).get().allPassed().durations());
            }
        }
        return times;
    }

    Run run(Class<?> testClass) {
        return run(testClass, Map.of());
    }

    /** @param configuration JUnit configuration parameters, such as {@code sockleak.settle} */
    Run run(Class<?> testClass, Map<String, String> configuration) {
        Map<String, Long> started = new ConcurrentHashMap<>();
        List<Long> durations = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        TestExecutionListener timer = new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier test) {
                if (test.isTest()) {
                    started.put(test.getUniqueId(), System.nanoTime());
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    durations.add(System.nanoTime() - started.get(test.getUniqueId()));
                }
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    failures.add(result.getThrowable().orElseGet(() -> new AssertionError(test.getDisplayName() + ": " + result)));
                }
            }
        };
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .configurationParameters(configuration).build(), timer);
        return new Run(durations, failures);
    }
}
