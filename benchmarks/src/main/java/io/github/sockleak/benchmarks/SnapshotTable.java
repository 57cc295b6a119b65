package io.github.sockleak.benchmarks;

import static io.github.sockleak.benchmarks.MarkdownTable.count;
import static io.github.sockleak.benchmarks.MarkdownTable.ms;
import static io.github.sockleak.benchmarks.MarkdownTable.times;
import static io.github.sockleak.benchmarks.Measure.time;
import static io.github.sockleak.benchmarks.Stats.median;
import static io.github.sockleak.benchmarks.Stats.percentile;
import static io.github.sockleak.benchmarks.Stats.ratio;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.Sockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Full snapshots of the namespace (netlink where this JVM reads it, and {@code /proc}) against {@code ss -tan},
 * interleaved round by round so that a slow moment of the machine hits every column alike; then this process's own
 * snapshot, as the extension's check reads it, alone and with one watched port (one port-filtered dump).
 */
final class SnapshotTable implements Table {

    private static final int WARM_UP = 10;
    /** Own snapshots take well under a millisecond: many rounds cost little and steady the medians. */
    private static final int OWN_ROUNDS = 201;

    private final Table.Settings settings;
    private final boolean netlink = Sockets.snapshot().source() == SnapshotSource.NETLINK;
    private final MarkdownTable table = new MarkdownTable("Snapshots against `ss -tan` (medians)",
            "background connections", "sockets in table", "netlink snapshot", "/proc snapshot", "/proc p90", "`ss -tan`",
            "`ss` p90", "netlink / ss", "/proc / ss", "own snapshot", "own + 1 watched port");

    SnapshotTable(Table.Settings settings) {
        this.settings = settings;
        if (!netlink) {
            table.note("The own snapshots read /proc here: " + Sockets.snapshot().sourceReason());
        }
    }

    @Override
    public List<Integer> populations() {
        return settings.populationsOr(List.of(0, 5_000, 50_000));
    }

    @Override
    public void measure(Background background) {
        List<Long> netlinkTimes = new ArrayList<>();
        List<Long> procfs = new ArrayList<>();
        List<Long> ss = new ArrayList<>();
        for (int i = 0; i < WARM_UP + settings.rounds(); i++) {
            long a = netlink ? time(() -> Sockets.snapshot(SnapshotSource.NETLINK).all().size()) : 0;
            long b = time(() -> Sockets.snapshot(SnapshotSource.PROCFS).all().size());
            long c = time(Measure::ssTan);
            if (i >= WARM_UP) {
                netlinkTimes.add(a);
                procfs.add(b);
                ss.add(c);
            }
        }
        // Apart from the full reads, as a test run takes them: right after a dump of 100,000 sockets the caches of a
        // 2-core machine are cold, and the first small read after it pays for that.
        List<Long> own = new ArrayList<>();
        List<Long> ownWatching = new ArrayList<>();
        Set<Integer> unusedPort = Set.of(unusedPort());
        for (int i = 0; i < WARM_UP + OWN_ROUNDS; i++) {
            long d = time(() -> Sockets.ownSnapshot(Set.of()).all().size());
            long e = time(() -> Sockets.ownSnapshot(unusedPort).all().size());
            if (i >= WARM_UP) {
                own.add(d);
                ownWatching.add(e);
            }
        }
        double ssMedian = median(ss);
        table.row(count(background.connections()), count(Sockets.snapshot().all().size()),
                netlink ? ms(median(netlinkTimes)) : "n/a", ms(median(procfs)), ms(percentile(procfs, 90)), ms(ssMedian),
                ms(percentile(ss, 90)), netlink ? times(ratio(median(netlinkTimes), ssMedian)) : "n/a",
                times(ratio(median(procfs), ssMedian)), ms(median(own)), ms(median(ownWatching)));
    }

    /** A port no socket uses: its dumps find nothing, so they cost only the kernel's walk. */
    private static int unusedPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public MarkdownTable result() {
        return table;
    }
}
