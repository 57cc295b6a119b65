package io.github.sockleak.benchmarks;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.Sockets;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * How many bytes of heap a full snapshot keeps alive per socket, read from {@code /proc} and from netlink. Run by
 * {@code bench/tables.sh memory} (its {@code --memory-args} are this main's arguments).
 *
 * <p>Usage: {@code SnapshotMemory [connections]}. {@code connections} (10,000 unless given) loopback connections,
 * two sockets each, are held by {@link Background#bothStacks()}: every other holder on the IPv4 stack, so that both
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} (IPv4-mapped rows, as a dual-stack Java socket makes) are
 * crowded. A JDK 17 to 21 reads netlink through JNA; a JDK 22+ through its foreign-function API, which needs native
 * access (a source that cannot be used is reported, not measured).
 *
 * <p>Method: retained memory is what a full garbage collection cannot free. For each source, after two snapshots
 * have loaded and initialised everything a snapshot needs, each round reads the used heap after full collections
 * ({@link System#gc()} until the reading stops moving), takes {@value #KEPT} snapshots and keeps them all in an array,
 * reads the used heap after full collections again, and divides the difference by the number of sockets the kept
 * snapshots hold between them. Keeping several snapshots makes the difference large (megabytes) next to what the
 * measurement itself allocates (a few objects per reading), and dividing by their sockets gives the cost of one
 * socket, the snapshot's fixed cost spread over a large table. The median of {@value #ROUNDS} rounds is printed
 * with their range. Other processes' sockets in the namespace count like the holders': every socket costs the same.
 */
public final class SnapshotMemory {

    private static final int DEFAULT_CONNECTIONS = 10_000;
    private static final int KEPT = 8;
    private static final int ROUNDS = 5;

    private SnapshotMemory() {
    }

    public static void main(String[] args) {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_CONNECTIONS;
        MarkdownTable table = new MarkdownTable(String.format("Heap a full snapshot keeps per socket (%s; %,d"
                        + " loopback connections held by other processes)", ManagementFactory.getRuntimeMXBean().getVmName(),
                connections), "source", "sockets", "retained B/socket, median", "range");
        try (Background background = Background.bothStacks()) {
            background.growTo(connections);
            for (SnapshotSource source : SnapshotSource.values()) {
                measure(source, table);
            }
        }
        table.print(System.out);
    }

    private static void measure(SnapshotSource source, MarkdownTable table) {
        String name = source == SnapshotSource.PROCFS ? "/proc" : "netlink";
        try {
            Sockets.snapshot(source);
            Sockets.snapshot(source);
        } catch (SocketSnapshotException e) {
            table.note(name + " not measured: " + e.getMessage());
            return;
        }
        List<Double> perSocket = new ArrayList<>();
        long sockets = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long before = settledUsedHeap();
            SocketSnapshot[] kept = new SocketSnapshot[KEPT];
            sockets = 0;
            for (int i = 0; i < KEPT; i++) {
                kept[i] = Sockets.snapshot(source);
                sockets += kept[i].all().size();
            }
            long after = settledUsedHeap();
            Reference.reachabilityFence(kept);
            perSocket.add((double) (after - before) / sockets);
        }
        table.row(name, MarkdownTable.count(sockets / KEPT), String.format("%.1f", Stats.median(perSocket)),
                String.format("%.1f to %.1f", Stats.min(perSocket), Stats.max(perSocket)));
    }

    /** The used heap once full collections stop freeing anything: a first one can leave what a finalizer or a reference queue frees next. */
    private static long settledUsedHeap() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 16 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
