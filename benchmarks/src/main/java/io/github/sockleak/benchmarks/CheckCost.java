package io.github.sockleak.benchmarks;

import static io.github.sockleak.benchmarks.MarkdownTable.count;
import static io.github.sockleak.benchmarks.MarkdownTable.ms;
import static io.github.sockleak.benchmarks.MarkdownTable.times;
import static io.github.sockleak.benchmarks.Stats.median;
import static io.github.sockleak.benchmarks.Stats.ratio;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.Sockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * The extension's check around a clean, empty test, as a user meets it through the JUnit Platform: a checked test's
 * wall time minus an unchecked one's, under N background connections of other processes. With {@code queue}, the
 * process holds one listener opened before the tests, as a suite's static server would, with one client connected and
 * never accepted: every check then sees a non-empty accept queue that did not change during its test.
 */
final class CheckCost implements Table {

    private final Table.Settings settings;
    private final boolean queue;
    private final TestRuns runs = new TestRuns();
    private final MarkdownTable table;
    private Double checkAtZero;

    /**
     * @throws IllegalStateException for {@code queue} on {@code /proc}: a check of a process that holds a listener
     *                               reads the whole table at each probe, about half a second at 100,000 sockets, so
     *                               the table would take hours
     */
    CheckCost(Table.Settings settings, boolean queue) {
        if (queue && Sockets.snapshot().source() == SnapshotSource.PROCFS) {
            throw new IllegalStateException("on /proc a check of a process holding a listener reads the whole table at"
                    + " every probe (about 0.5 s a test at 100,000 sockets); run it where netlink can be read");
        }
        this.settings = settings;
        this.queue = queue;
        this.table = queue
                ? new MarkdownTable("Per-test check with one persistent listener and a non-empty accept queue (medians)",
                        "background connections", "sockets in table", "test with check", "test without", "check alone")
                : new MarkdownTable("Per-test check of a clean test (medians)",
                        "background connections", "sockets in table", "test with check", "test without", "check alone",
                        "check(N) / check(0)");
    }

    @Override
    public List<Integer> populations() {
        return settings.populationsOr(queue ? List.of(50_000) : List.of(0, 5_000, 50_000));
    }

    @Override
    public void measure(Background background) throws IOException {
        TestRuns.Comparison tests;
        int sockets;
        if (queue) {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            try (ServerSocket listener = new ServerSocket(0, 50, loopback);
                 Socket neverAccepted = new Socket(loopback, listener.getLocalPort())) {
                sockets = Sockets.snapshot().all().size();
                tests = runs.cleanCheck(settings.tests());
            }
        } else {
            sockets = Sockets.snapshot().all().size();
            tests = runs.cleanCheck(settings.tests());
        }
        String n = count(background.connections());
        String with = ms(median(tests.checked()));
        String without = ms(median(tests.unchecked()));
        if (queue) {
            table.row(n, count(sockets), with, without, ms(tests.check()));
            return;
        }
        if (background.connections() == 0) {
            checkAtZero = tests.check();
        }
        table.row(n, count(sockets), with, without, ms(tests.check()),
                checkAtZero == null ? "n/a" : times(ratio(tests.check(), checkAtZero)));
    }

    @Override
    public MarkdownTable result() {
        return table;
    }
}
