package io.github.sockleak.benchmarks;

import static io.github.sockleak.benchmarks.Measure.median;
import static io.github.sockleak.benchmarks.Measure.time;

import io.github.sockleak.SnapshotCoverage;
import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For N background connections held by other processes: the median wall time of a full netlink snapshot, a
 * full {@code /proc} snapshot, an {@code ss -tan} process, a snapshot of this process's sockets alone (as the
 * extension's check takes it), the same with one watched port (one port-filtered dump), and the extension's
 * per-test check, all in this one run. Usage: {@code NetlinkVsProc <pid file> <rounds> <N>...}; run by
 * {@code bench/netlink-vs-proc.sh}.
 */
public final class NetlinkVsProc {

    private static final int WARM_UP = 10;
    /** Own snapshots take well under a millisecond: many rounds cost little and steady the medians. */
    private static final int OWN_ROUNDS = 201;

    private NetlinkVsProc() {
    }

    public static void main(String[] args) throws Exception {
        Path pidFile = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int[] populations = Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray();
        SocketSnapshot first = Sockets.snapshot();
        if (first.source() != SnapshotSource.NETLINK) {
            throw new IllegalStateException("netlink is not in use: " + first.sourceReason());
        }
        SocketSnapshot own = Sockets.ownSnapshot(Set.of());
        if (own.coverage() != SnapshotCoverage.PROCESS) {
            throw new IllegalStateException("the check would read the whole table: " + own.sourceReason());
        }
        System.out.printf("JDK %s, %s; %d rounds per figure (medians), after %d warm-up rounds%n",
                Runtime.version(), first.sourceReason(), rounds, WARM_UP);
        Map<Integer, Row> results = new LinkedHashMap<>();
        for (int n : populations) {
            try (Background background = new Background(n, pidFile)) {
                results.put(n, measure(Sockets.snapshot().all().size(), rounds));
            }
            print(results);
        }
    }

    private static Row measure(int tableSize, int rounds) {
        List<Long> netlink = new ArrayList<>();
        List<Long> procfs = new ArrayList<>();
        List<Long> ss = new ArrayList<>();
        List<Long> own = new ArrayList<>();
        List<Long> ownWatching = new ArrayList<>();
        Set<Integer> unusedPort = Set.of(unusedPort());
        for (int i = 0; i < WARM_UP + rounds; i++) {
            // Interleaved, so a slow moment of the machine hits every column alike.
            long a = time(() -> Sockets.snapshot(SnapshotSource.NETLINK).all().size());
            long b = time(() -> Sockets.snapshot(SnapshotSource.PROCFS).all().size());
            long c = time(Measure::ssTan);
            if (i >= WARM_UP) {
                netlink.add(a);
                procfs.add(b);
                ss.add(c);
            }
        }
        // Apart from the full reads, as a test run takes them: right after a dump of 100,000 sockets, the caches
        // of a 2-core machine are cold, and the first small read after it pays for that.
        for (int i = 0; i < WARM_UP + OWN_ROUNDS; i++) {
            long d = time(() -> Sockets.ownSnapshot(Set.of()).all().size());
            long e = time(() -> Sockets.ownSnapshot(unusedPort).all().size());
            if (i >= WARM_UP) {
                own.add(d);
                ownWatching.add(e);
            }
        }
        PerTestCheck tests = new PerTestCheck();
        for (int i = 0; i < 3; i++) {
            // Warm-up of the JUnit machinery and the extension; the first population would pay for it otherwise.
            tests.run(CheckedTests.WithCheck.class);
            tests.run(CheckedTests.WithoutCheck.class);
        }
        List<Long> withCheck = tests.run(CheckedTests.WithCheck.class);
        List<Long> withoutCheck = tests.run(CheckedTests.WithoutCheck.class);
        return new Row(tableSize, median(netlink), median(procfs), median(ss), median(own), median(ownWatching),
                median(withCheck), median(withoutCheck));
    }

    /** A port no socket uses: its dumps find nothing, so they cost only the kernel's walk. */
    private static int unusedPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void print(Map<Integer, Row> results) {
        System.out.println();
        System.out.println("| background connections | sockets in table | netlink snapshot | /proc snapshot | `ss -tan` | netlink / ss"
                + " | own snapshot | own + 1 watched port | test with check | test without | check alone |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        results.forEach((n, row) -> System.out.printf("| %,d | %,d | %s | %s | %s | %.2fx | %s | %s | %s | %s | %s |%n",
                n, row.tableSize, ms(row.netlink), ms(row.procfs), ms(row.ss), (double) row.netlink / row.ss,
                ms(row.own), ms(row.ownWatching), ms(row.withCheck), ms(row.withoutCheck), ms(row.check())));
        Row zero = results.get(0);
        results.forEach((n, row) -> {
            if (zero != null && n != 0) {
                System.out.printf("N = %,d: check(N) / check(0) = %.2fx; own snapshot %.2fx; own + 1 watched port %.2fx"
                                + " (its port dump alone: %s at N, %s at 0)%n",
                        n, (double) row.check() / zero.check(), (double) row.own / zero.own,
                        (double) row.ownWatching / zero.ownWatching, ms(row.ownWatching - row.own), ms(zero.ownWatching - zero.own));
            }
        });
        System.out.flush();
    }

    private static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    private static final class Row {
        final int tableSize;
        final long netlink;
        final long procfs;
        final long ss;
        final long own;
        final long ownWatching;
        final long withCheck;
        final long withoutCheck;

        Row(int tableSize, long netlink, long procfs, long ss, long own, long ownWatching, long withCheck, long withoutCheck) {
            this.tableSize = tableSize;
            this.netlink = netlink;
            this.procfs = procfs;
            this.ss = ss;
            this.own = own;
            this.ownWatching = ownWatching;
            this.withCheck = withCheck;
            this.withoutCheck = withoutCheck;
        }

        /** The extension's share of a checked test: JUnit's own cost per test taken out. */
        long check() {
            return Math.max(0, withCheck - withoutCheck);
        }
    }
}
