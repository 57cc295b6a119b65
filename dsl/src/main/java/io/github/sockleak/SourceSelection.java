package io.github.sockleak;

import io.github.sockleak.internal.OwnSocketSource;
import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.SocketSource;
import io.github.sockleak.internal.SocketTable;
import io.github.sockleak.internal.netlink.NetlinkSupport;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Picks the source of a snapshot and says why. Automatic selection prefers netlink and falls back to
 * {@code /proc} whenever netlink cannot be used or fails, keeping the reason; an explicit choice is kept or
 * fails, never quietly replaced. A snapshot of this process's sockets alone needs netlink; without it, or when
 * that read fails, the whole table is read instead and the reason says so.
 */
final class SourceSelection {

    private static final String PROCFS_FILES = "/proc/net/tcp and /proc/net/tcp6";
    private static final String NETLINK_DUMP = "NETLINK_SOCK_DIAG dump";
    private static final String CHOSEN = ", chosen explicitly";

    private final Supplier<NetlinkSupport.Availability> netlink;
    private final ProcfsSocketSource procfs;

    SourceSelection(Supplier<NetlinkSupport.Availability> netlink, ProcfsSocketSource procfs) {
        this.netlink = netlink;
        this.procfs = procfs;
    }

    static SourceSelection system() {
        return new SourceSelection(NetlinkSupport::availability, ProcfsSocketSource.system());
    }

    /** Whether some source can read the table: {@code /proc}, or netlink. */
    boolean isSupported() {
        return procfs.isAvailable() || netlink.get().isAvailable();
    }

    SocketSnapshot automatic() {
        return automatic("");
    }

    /** @param note added to the reason, whichever source reads the table */
    private SocketSnapshot automatic(String note) {
        NetlinkSupport.Availability availability = netlink.get();
        if (!availability.isAvailable()) {
            return read(SnapshotSource.PROCFS, procfs, PROCFS_FILES + "; netlink not used: " + availability.reason() + note);
        }
        try {
            return read(SnapshotSource.NETLINK, availability.source(), NETLINK_DUMP + automaticNetlink(availability) + note);
        } catch (RuntimeException e) {
            // Any failure, even one we did not foresee, costs the speed of netlink, never the check.
            return read(SnapshotSource.PROCFS, procfs,
                    PROCFS_FILES + "; netlink failed: " + e.getMessage() + "; fell back to /proc" + note);
        }
    }

    SocketSnapshot chosen(SnapshotSource source) {
        switch (source) {
            case PROCFS:
                return read(SnapshotSource.PROCFS, procfs, PROCFS_FILES + CHOSEN);
            case NETLINK:
                return read(SnapshotSource.NETLINK, availableNetlink().source(), NETLINK_DUMP + CHOSEN);
            default:
                throw new IllegalArgumentException("unknown source " + source);
        }
    }

    /** This process's sockets from netlink when it can be used; otherwise, or when that fails, the whole table. */
    SocketSnapshot ownAutomatic(Set<Integer> watchedPorts) {
        NetlinkSupport.Availability availability = netlink.get();
        if (!availability.isAvailable()) {
            return automatic(); // /proc reads every socket or none: its reason already says why netlink was not used
        }
        try {
            return readOwn(availability.ownSource(), watchedPorts, automaticNetlink(availability));
        } catch (RuntimeException e) {
            return automatic(ownReadFailed(e));
        }
    }

    /** Like {@link #chosen(SnapshotSource)}: a forced source is kept; netlink reads this process's sockets if it can. */
    SocketSnapshot ownChosen(SnapshotSource source, Set<Integer> watchedPorts) {
        if (source != SnapshotSource.NETLINK) {
            return chosen(source); // /proc cannot look sockets up one by one
        }
        NetlinkSupport.Availability availability = availableNetlink();
        try {
            return readOwn(availability.ownSource(), watchedPorts, CHOSEN);
        } catch (RuntimeException e) {
            return read(SnapshotSource.NETLINK, availability.source(), NETLINK_DUMP + CHOSEN + ownReadFailed(e));
        }
    }

    private NetlinkSupport.Availability availableNetlink() {
        NetlinkSupport.Availability availability = netlink.get();
        if (!availability.isAvailable()) {
            throw new SocketSnapshotException("netlink was chosen explicitly but cannot be used: " + availability.reason());
        }
        return availability;
    }

    /** {@code " (JNA on JDK 17)"}: how netlink calls the C library, where it was chosen for being there. */
    private static String automaticNetlink(NetlinkSupport.Availability availability) {
        return " (" + availability.how() + ")";
    }

    private static String ownReadFailed(RuntimeException e) {
        return "; reading this process's sockets alone failed (" + e.getMessage() + "), so the whole table was read";
    }

    private static SocketSnapshot readOwn(OwnSocketSource source, Set<Integer> watchedPorts, String how) {
        String ports = watchedPorts.isEmpty() ? ""
                : " and of the watched ports " + new TreeSet<>(watchedPorts).stream().map(String::valueOf).collect(Collectors.joining(", "));
        SocketTable table = source.read(watchedPorts);
        return SnapshotBuilder.build(SnapshotSource.NETLINK, SnapshotCoverage.PROCESS,
                "this process's sockets only: NETLINK_SOCK_DIAG lookups of its socket descriptors, dumps of the ports of"
                        + " its non-empty accept queues" + ports + how,
                table);
    }

    private static SocketSnapshot read(SnapshotSource kind, SocketSource source, String reason) {
        return SnapshotBuilder.build(kind, SnapshotCoverage.NAMESPACE, reason, source);
    }
}
