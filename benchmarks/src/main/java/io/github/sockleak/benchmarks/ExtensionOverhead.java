package io.github.sockleak.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.sockleak.junit.NoSocketLeaks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The leak check's cost per test: the same 200 clean loopback tests run through the JUnit Platform with and
 * without {@code @NoSocketLeaks}, alternately, in one JVM; prints the medians and the difference per test.
 */
public final class ExtensionOverhead {

    static final int TESTS_PER_RUN = 200;
    private static final int ROUNDS = 9;

    private ExtensionOverhead() {
    }

    /** A clean client and server exchanging a byte: what a small integration test does with sockets. */
    public abstract static class CleanTests {
        @RepeatedTest(TESTS_PER_RUN)
        void exchange() throws IOException {
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                 Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 Socket accepted = server.accept()) {
                OutputStream out = client.getOutputStream();
                out.write(42);
                InputStream in = accepted.getInputStream();
                if (in.read() != 42) {
                    throw new AssertionError("lost the byte");
                }
            }
        }
    }

    public static class Unchecked extends CleanTests {
    }

    @NoSocketLeaks
    public static class Checked extends CleanTests {
    }

    public static void main(String[] args) {
        Launcher launcher = LauncherFactory.create();
        run(launcher, Unchecked.class); // warm-up
        run(launcher, Checked.class);
        double[] unchecked = new double[ROUNDS];
        double[] checked = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            boolean checkedFirst = round % 2 == 1;
            if (checkedFirst) {
                checked[round] = run(launcher, Checked.class);
                unchecked[round] = run(launcher, Unchecked.class);
            } else {
                unchecked[round] = run(launcher, Unchecked.class);
                checked[round] = run(launcher, Checked.class);
            }
        }
        double plain = median(unchecked);
        double withCheck = median(checked);
        System.out.printf("%d clean loopback tests per run, %d runs each, medians per test:%n", TESTS_PER_RUN, ROUNDS);
        System.out.printf("  without @NoSocketLeaks  %7.3f ms%n", plain);
        System.out.printf("  with @NoSocketLeaks     %7.3f ms%n", withCheck);
        System.out.printf("  overhead                %7.3f ms per test (%.1fx)%n", withCheck - plain, withCheck / plain);
    }

    /** Runs one class of tests and returns the milliseconds per test; fails if any test failed. */
    private static double run(Launcher launcher, Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long start = System.nanoTime();
        launcher.execute(request, listener);
        long elapsed = System.nanoTime() - start;
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTestsSucceededCount() != TESTS_PER_RUN) {
            summary.printFailuresTo(new java.io.PrintWriter(System.err, true), 20);
            throw new IllegalStateException(testClass.getSimpleName() + ": " + summary.getTestsSucceededCount()
                    + " of " + TESTS_PER_RUN + " tests passed");
        }
        return elapsed / 1e6 / TESTS_PER_RUN;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
