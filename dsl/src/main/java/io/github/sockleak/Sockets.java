package io.github.sockleak;

import io.github.sockleak.internal.ProcfsSocketSource;
import java.time.Instant;

/** The entry point: snapshots of the kernel's TCP sockets as this process sees them. */
public final class Sockets {

    private Sockets() {
    }

    /**
     * Reads the kernel's TCP table now, from the best source available: netlink on JDK 22+ when native access is
     * enabled for sockleak ({@code --enable-native-access=ALL-UNNAMED} on the class path), otherwise
     * {@code /proc}. When netlink cannot be used or fails, the snapshot comes from {@code /proc} and
     * {@link SocketSnapshot#sourceReason()} says why.
     *
     * @return a snapshot, never null
     * @throws SocketSnapshotException when no source works, for instance on a system without {@code /proc}
     */
    public static SocketSnapshot snapshot() {
        return SourceSelection.system().automatic();
    }

    /**
     * Reads the kernel's TCP table now from {@code source} and no other, for tests that need what only one
     * source has (the backlog and cookies of {@link SnapshotSource#NETLINK}) or that compare the two.
     *
     * @throws SocketSnapshotException when that source cannot be used here or fails, with the reason; a forced
     *                                 source is never replaced by another
     */
    public static SocketSnapshot snapshot(SnapshotSource source) {
        return SourceSelection.system().chosen(source);
    }

    /** The kernel's TCP counters of this network namespace now, from {@code /proc/net/netstat}. */
    public static TcpCounters counters() {
        return TcpCounters.read();
    }

    /** Whether this machine has a kernel socket table sockleak can read (Linux with {@code /proc}). */
    public static boolean isSupported() {
        return ProcfsSocketSource.system().isAvailable();
    }

    static SocketSnapshot snapshot(ProcfsSocketSource source) {
        return SnapshotBuilder.build(SnapshotSource.PROCFS, "/proc/net/tcp and /proc/net/tcp6", source.read(), Instant.now());
    }
}
