package io.github.sockleak;

import io.github.sockleak.internal.SocketTable;
import java.util.List;
import java.util.Set;

/** Snapshots built without the kernel, for tests of what other code does with a snapshot's coverage. */
public final class SnapshotFixtures {

    private SnapshotFixtures() {
    }

    /** An empty snapshot of this process's sockets alone, as netlink reads it, whatever the JDK. */
    public static SocketSnapshot processCoverage(String reason) {
        return SnapshotBuilder.build(SnapshotSource.NETLINK, SnapshotCoverage.PROCESS, reason,
                new SocketTable(List.of(), List.of(), Set.of()));
    }
}
