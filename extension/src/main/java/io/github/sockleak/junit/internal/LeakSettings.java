package io.github.sockleak.junit.internal;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.netlink.NetlinkSupport;
import io.github.sockleak.junit.NoSocketLeaks.Mode;
import io.github.sockleak.junit.NoSocketLeaks.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Everything a check needs to know, resolved from defaults, configuration parameters and annotations. Origins are
 * configured for the whole run only: the agent serves the whole JVM.
 *
 * @param ignoreOpenedBy packages and classes whose leaks are reported as ignored (their opening stack passes through)
 * @param source         the snapshot source {@code sockleak.source} forces, or null to let sockleak choose
 * @param timeline         which checks record a timeline, and which timelines are kept; null for the source's default
 * @param timelineInterval the time between two samples, or null for the source's default
 * @param timelineDirectory where timeline pages are written, relative to the working directory
 */
public record LeakSettings(
        Mode mode,
        Set<TcpState> failOn,
        Duration settle,
        Scope scope,
        Set<Integer> ignorePorts,
        Set<Integer> watchPorts,
        Set<String> ignoreOpenedBy,
        boolean failOnListenOverflows,
        boolean failWhenUnsupported,
        SnapshotSource source,
        OriginsMode origins,
        boolean originStacks,
        TimelineMode timeline,
        Duration timelineInterval,
        Path timelineDirectory) {

    /** The default interval where samples read netlink: about the cost of a clean check every 25 of it. */
    public static final Duration NETLINK_TIMELINE_INTERVAL = Duration.ofMillis(5);
    /** The default interval where samples read the whole table from {@code /proc}. */
    public static final Duration PROCFS_TIMELINE_INTERVAL = Duration.ofMillis(100);

    public LeakSettings {
        failOn = Set.copyOf(failOn);
        ignorePorts = Set.copyOf(ignorePorts);
        watchPorts = Set.copyOf(watchPorts);
        ignoreOpenedBy = Set.copyOf(ignoreOpenedBy);
    }

    /**
     * A snapshot for a check, from the configured source; a forced one that cannot be used throws, it is never
     * replaced. It holds what the check looks at: this process's sockets, the connections queued on its listeners,
     * and the sockets on {@link #watchPorts()}. With netlink that is all it reads ({@code SnapshotCoverage.PROCESS}),
     * so a check costs the same however many sockets other processes hold; {@code /proc} reads the whole table.
     */
    public SocketSnapshot snapshot() {
        return source == null ? Sockets.ownSnapshot(watchPorts) : Sockets.ownSnapshot(source, watchPorts);
    }

    /**
     * Which checks record a timeline: as configured, else {@code onFailure} where samples read netlink, and
     * {@code off} on {@code /proc}, where each sample reads the namespace's whole table: a clean test would pay two
     * such reads (26 ms with an empty table, measured), which its check, from this process's descriptors, never pays.
     */
    public TimelineMode timelineMode() {
        if (timeline != null) {
            return timeline;
        }
        return readsNetlink() ? TimelineMode.ON_FAILURE : TimelineMode.OFF;
    }

    /**
     * The time between two samples of a timeline: as configured, else a few milliseconds where the check reads
     * netlink (a sample costs a lookup per socket of this process) and a tenth of a second on {@code /proc} (a
     * sample reads the whole table).
     */
    public Duration timelineSampling() {
        if (timelineInterval != null) {
            return timelineInterval;
        }
        return readsNetlink() ? NETLINK_TIMELINE_INTERVAL : PROCFS_TIMELINE_INTERVAL;
    }

    /** Whether {@link #snapshot()} reads netlink, as far as can be told without reading: it may still fall back. */
    public boolean readsNetlink() {
        return source != SnapshotSource.PROCFS && NetlinkSupport.availability().isAvailable();
    }
}
