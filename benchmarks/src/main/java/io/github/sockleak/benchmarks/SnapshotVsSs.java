package io.github.sockleak.benchmarks;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Times {@link Sockets#snapshot()} in this JVM against {@code ss -tan} run as a process, on the same socket table
 * in the same run, and prints one row: medians and 90th percentiles in milliseconds, and the ratio of the medians.
 *
 * <p>Usage: {@code SnapshotVsSs <connections> <repetitions> [holder port ...]}, or {@code SnapshotVsSs --header}
 * for the table's header. {@code connections} and the holder ports describe what {@link BackgroundConnections}
 * processes hold; the row shows how many of those sockets the snapshots saw ({@code 2 * connections} plus one
 * listener per holder expected), so a table that is not what it claims to be is visible next to its timings.
 * It exits with 1 when no snapshot saw them exactly.
 *
 * <p>Both are warmed up, then timed in alternation, the order swapped every repetition, so that whatever else
 * the machine does at a given moment weighs on both. {@code ss} is timed from process start until its output is
 * drained and it has exited: what a program that shells out to it pays.
 */
public final class SnapshotVsSs {

    private static final String COLUMNS = "%7s %8s %8s %19s %9s %9s %9s %9s %12s";
    private static final int MIN_WARM_UP_ROUNDS = 20;
    private static final long MIN_WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String ss = onPath("ss");
    private final Set<Integer> holderPorts;
    private final long expectedBackground;
    private int sockets;
    private int ssRows;
    private long backgroundMin = Long.MAX_VALUE;
    private long backgroundMax = Long.MIN_VALUE;
    private int snapshotsExact;
    private int snapshotsWithDoubledRows;
    private int snapshotsWithMissingRows;

    private SnapshotVsSs(int connections, Set<Integer> holderPorts) {
        this.holderPorts = holderPorts;
        this.expectedBackground = 2L * connections + holderPorts.size();
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 1 && args[0].equals("--header")) {
            System.out.println(String.format(COLUMNS,
                    "N", "sockets", "ss rows", "background", "snap med", "snap p90", "ss med", "ss p90", "snap/ss med"));
            System.out.println(String.format(COLUMNS, "", "", "", "seen/expected", "ms", "ms", "ms", "ms", ""));
            return;
        }
        if (args.length < 2) {
            System.err.println("usage: SnapshotVsSs <connections> <repetitions> [holder port ...] | --header");
            System.exit(2);
        }
        int connections = Integer.parseInt(args[0]);
        int repetitions = Integer.parseInt(args[1]);
        Set<Integer> holderPorts = new HashSet<>();
        for (int i = 2; i < args.length; i++) {
            holderPorts.add(Integer.parseInt(args[i]));
        }
        SnapshotVsSs benchmark = new SnapshotVsSs(connections, holderPorts);
        benchmark.warmUp();
        long[] snapshotNanos = new long[repetitions];
        long[] ssNanos = new long[repetitions];
        for (int i = 0; i < repetitions; i++) {
            if (i % 2 == 0) {
                snapshotNanos[i] = benchmark.timeSnapshot();
                ssNanos[i] = benchmark.timeSs();
            } else {
                ssNanos[i] = benchmark.timeSs();
                snapshotNanos[i] = benchmark.timeSnapshot();
            }
        }
        System.out.println(benchmark.row(connections, snapshotNanos, ssNanos));
        if (benchmark.snapshotsExact < repetitions) {
            // A note under the row, in the results: /proc is read a page at a time, not atomically, and sockets
            // that other processes open and close meanwhile shift the kernel's walk.
            System.out.printf("# N=%d: %d of %d snapshots showed exactly the %d background sockets, %d showed some"
                    + " twice, %d missed some%n", connections, benchmark.snapshotsExact, repetitions,
                    benchmark.expectedBackground, benchmark.snapshotsWithDoubledRows, benchmark.snapshotsWithMissingRows);
        }
        if (benchmark.snapshotsExact == 0) {
            System.err.println("no snapshot showed the background connections as expected:"
                    + " the figures above are not for the table they claim");
            System.exit(1);
        }
    }

    private void warmUp() throws IOException, InterruptedException {
        long start = System.nanoTime();
        for (int round = 0; round < MIN_WARM_UP_ROUNDS || System.nanoTime() - start < MIN_WARM_UP_NANOS; round++) {
            timeSnapshot();
            timeSs();
        }
        backgroundMin = Long.MAX_VALUE;
        backgroundMax = Long.MIN_VALUE;
        snapshotsExact = 0;
        snapshotsWithDoubledRows = 0;
        snapshotsWithMissingRows = 0;
    }

    private long timeSnapshot() {
        long start = System.nanoTime();
        SocketSnapshot snapshot = Sockets.snapshot();
        long elapsed = System.nanoTime() - start;
        sockets = snapshot.all().size();
        List<TcpSocket> background = snapshot.all().stream().filter(this::isBackground).collect(Collectors.toList());
        backgroundMin = Math.min(backgroundMin, background.size());
        backgroundMax = Math.max(backgroundMax, background.size());
        // A 4-tuple names one socket; a listener's is its address with the peer 0.0.0.0:0.
        long distinct = background.stream().map(socket -> List.of(socket.local(), socket.remote())).distinct().count();
        snapshotsExact += background.size() == expectedBackground && distinct == expectedBackground ? 1 : 0;
        snapshotsWithDoubledRows += distinct < background.size() ? 1 : 0;
        snapshotsWithMissingRows += distinct < expectedBackground ? 1 : 0;
        return elapsed;
    }

    /** A holder's listener, one of its accepted connections, or one of its clients. */
    private boolean isBackground(TcpSocket socket) {
        return isHolderEndpoint(socket.local()) || isHolderEndpoint(socket.remote());
    }

    private boolean isHolderEndpoint(InetSocketAddress endpoint) {
        return endpoint.getAddress().isLoopbackAddress() && holderPorts.contains(endpoint.getPort());
    }

    private long timeSs() throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(ss, "-tan").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int lines = 0;
        try (InputStream output = process.getInputStream()) {
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = output.read(buffer)) >= 0; ) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        int exit = process.waitFor();
        long elapsed = System.nanoTime() - start;
        if (exit != 0) {
            throw new IllegalStateException(ss + " -tan exited with " + exit);
        }
        ssRows = lines - 1; // its header
        return elapsed;
    }

    private String row(int connections, long[] snapshotNanos, long[] ssNanos) {
        String seen = backgroundMin == backgroundMax ? String.valueOf(backgroundMin) : backgroundMin + ".." + backgroundMax;
        double snapshotMedian = millis(median(snapshotNanos));
        double ssMedian = millis(median(ssNanos));
        return String.format(COLUMNS, connections, sockets, ssRows, seen + "/" + expectedBackground,
                twoDecimals(snapshotMedian), twoDecimals(millis(p90(snapshotNanos))),
                twoDecimals(ssMedian), twoDecimals(millis(p90(ssNanos))), twoDecimals(snapshotMedian / ssMedian));
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    /** The nearest-rank 90th percentile: the smallest value at least 90 % of the values do not exceed. */
    private static double p90(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.9 * sorted.length) - 1];
    }

    private static String twoDecimals(double value) {
        return String.format("%.2f", value);
    }

    private static double millis(double nanos) {
        return nanos / 1e6;
    }

    private static String onPath(String command) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(directory, command);
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        throw new IllegalStateException(command + " is not on the PATH; it comes with iproute2");
    }
}
