package io.github.sockleak;

import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.SocketSource;
import io.github.sockleak.internal.netlink.NetlinkSupport;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Picks the source of a snapshot and says why. Automatic selection prefers netlink and falls back to
 * {@code /proc} whenever netlink cannot be used or fails, keeping the reason; an explicit choice is kept or
 * fails, never quietly replaced.
 */
final class SourceSelection {

    private static final String PROCFS_FILES = "/proc/net/tcp and /proc/net/tcp6";

    private final Supplier<NetlinkSupport.Availability> netlink;
    private final SocketSource procfs;

    SourceSelection(Supplier<NetlinkSupport.Availability> netlink, SocketSource procfs) {
        this.netlink = netlink;
        this.procfs = procfs;
    }

    static SourceSelection system() {
        return new SourceSelection(NetlinkSupport::availability, ProcfsSocketSource.system());
    }

    SocketSnapshot automatic() {
        NetlinkSupport.Availability availability = netlink.get();
        if (!availability.isAvailable()) {
            return read(SnapshotSource.PROCFS, procfs, PROCFS_FILES + "; netlink not used: " + availability.reason());
        }
        try {
            return read(SnapshotSource.NETLINK, availability.source(), "NETLINK_SOCK_DIAG dump (JDK 22+, native access enabled)");
        } catch (RuntimeException e) {
            // Any failure, even one we did not foresee, costs the speed of netlink, never the check.
            return read(SnapshotSource.PROCFS, procfs, PROCFS_FILES + "; netlink failed: " + e.getMessage() + "; fell back to /proc");
        }
    }

    SocketSnapshot chosen(SnapshotSource source) {
        switch (source) {
            case PROCFS:
                return read(SnapshotSource.PROCFS, procfs, PROCFS_FILES + ", chosen explicitly");
            case NETLINK:
                NetlinkSupport.Availability availability = netlink.get();
                if (!availability.isAvailable()) {
                    throw new SocketSnapshotException("netlink was chosen explicitly but cannot be used: " + availability.reason());
                }
                return read(SnapshotSource.NETLINK, availability.source(), "NETLINK_SOCK_DIAG dump, chosen explicitly");
            default:
                throw new IllegalArgumentException("unknown source " + source);
        }
    }

    private static SocketSnapshot read(SnapshotSource kind, SocketSource source, String reason) {
        return SnapshotBuilder.build(kind, reason, source.read(), Instant.now());
    }
}
