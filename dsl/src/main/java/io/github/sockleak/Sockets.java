package io.github.sockleak;

import io.github.sockleak.internal.ProcfsSocketSource;
import java.time.Instant;

/** The entry point: snapshots of the kernel's TCP sockets as this process sees them. */
public final class Sockets {

    private Sockets() {
    }

    /**
     * Reads the kernel's TCP table now, from the best source available.
     *
     * @return a snapshot, never null
     * @throws SocketSnapshotException when no source works, for instance on a system without {@code /proc}
     */
    public static SocketSnapshot snapshot() {
        return snapshot(ProcfsSocketSource.system());
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
