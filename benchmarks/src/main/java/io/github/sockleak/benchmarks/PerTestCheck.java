package io.github.sockleak.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Times the extension's per-test check as a user meets it: each test's wall time from start to finish, through
 * the JUnit Platform, with {@code @NoSocketLeaks} and without. A clean checked test costs what the extension does:
 * a baseline snapshot and the counters before, one settle probe and the counters after, the snapshots being of
 * this process's sockets alone where netlink is used. The medians of many short tests keep JUnit's noise small.
 */
final class PerTestCheck {

    static final int REPETITIONS = 201;

    private final Launcher launcher = LauncherFactory.create();

    /** Per-test wall times in nanoseconds, one per repetition. */
    List<Long> run(Class<?> testClass) {
        Map<String, Long> started = new ConcurrentHashMap<>();
        List<Long> durations = new ArrayList<>();
        List<String> failures = new ArrayList<>();
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
                    synchronized (durations) {
                        durations.add(System.nanoTime() - started.get(test.getUniqueId()));
                    }
                }
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    failures.add(test.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString).orElse("?"));
                }
            }
        };
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), timer);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("benchmark tests failed: " + failures);
        }
        return durations;
    }
}
