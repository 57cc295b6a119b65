package io.github.sockleak.junit.internal;

import io.github.sockleak.Listener;
import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Handshakes the kernel dropped during a check because an accept queue was full. Netlink counts them per listener
 * ({@code sk_drops}), so only this process's listeners are asked; {@code /proc} has only the namespace's counters,
 * which any process moves.
 */
final class HandshakeDrops {

    private HandshakeDrops() {
    }

    /**
     * The report's line about them, when there were some.
     *
     * @param countersBefore the namespace's counters at the baseline; null when not read
     * @param probed         the check's last probe; empty when none was needed, since no descriptor appeared
     */
    static Optional<String> during(Baseline baseline, TcpCounters countersBefore, Optional<SocketSnapshot> probed,
                                   Set<Integer> ignoredPorts) {
        if (probed.isEmpty()) {
            return Optional.empty(); // no descriptor appeared: this process holds no listener, so none overflowed
        }
        SocketSnapshot after = probed.get();
        if (after.source() != SnapshotSource.NETLINK) {
            return countersBefore == null ? Optional.empty()
                    : countersNow().map(now -> now.since(countersBefore)).flatMap(LeakReport::overflows);
        }
        List<Listener> before = baseline.snapshot().map(SocketSnapshot::listeners).orElse(List.of());
        Map<Listener, Long> dropped = new LinkedHashMap<>();
        for (Listener listener : after.listeners()) {
            long dropsBefore = before.stream()
                    .filter(earlier -> earlier.socket().inode() == listener.socket().inode())
                    .mapToLong(earlier -> earlier.drops().orElse(0))
                    .findFirst()
                    .orElse(0); // a listener opened during the check started from none
            long during = listener.drops().orElse(dropsBefore) - dropsBefore;
            if (during > 0 && !ignoredPorts.contains(listener.port())) {
                dropped.put(listener, during);
            }
        }
        return LeakReport.listenerDrops(dropped);
    }

    /**
     * A note when this process holds a listener now, on {@code /proc}, for which the counters were not read: the
     * check waited for the origin agent to see a listener bound, and this one was bound elsewhere (a native
     * transport's own system calls).
     */
    static Optional<String> uncounted(String name, Optional<SocketSnapshot> probed, Set<Integer> ignoredPorts) {
        List<Listener> listeners = probed.filter(after -> after.source() != SnapshotSource.NETLINK)
                .map(SocketSnapshot::listeners).orElse(List.of()).stream()
                .filter(listener -> !ignoredPorts.contains(listener.port()))
                .collect(Collectors.toList());
        return listeners.isEmpty() ? Optional.empty() : Optional.of(LeakReport.overflowsNotCounted(name, listeners));
    }

    /** The namespace's counters now; empty when they cannot be read: the socket check stands on its own, counters only add to it. */
    static Optional<TcpCounters> countersNow() {
        try {
            return Optional.of(Sockets.counters());
        } catch (SocketSnapshotException e) {
            return Optional.empty();
        }
    }
}
