package io.github.sockleak;

import io.github.sockleak.internal.ProcfsSocketSource;
import java.time.Duration;
import java.util.Set;

/** The entry point: snapshots of the kernel's TCP sockets as this process sees them. */
public final class Sockets {

    private Sockets() {
    }

    /**
     * Reads the kernel's TCP table now, from the best source available: netlink, through JNA on JDK 17 to 21 and
     * on JDK 22+ when native access is enabled for sockleak ({@code --enable-native-access=ALL-UNNAMED} on the
     * class path), otherwise {@code /proc}. When netlink cannot be used or fails, the snapshot comes from
     * {@code /proc} and {@link SocketSnapshot#sourceReason()} says why.
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
     * @param source the kernel interface to read
     * @return the snapshot
     * @throws SocketSnapshotException when that source cannot be used here or fails, with the reason; a forced
     *                                 source is never replaced by another
     */
    public static SocketSnapshot snapshot(SnapshotSource source) {
        return SourceSelection.system().chosen(source);
    }

    /**
     * Reads this process's TCP sockets now, and the few others a leak check needs: every TCP socket on this
     * process's file descriptors, the connections waiting in the accept queues of its listeners, and every socket
     * whose local port is one of {@code watchedPorts}, whoever holds it.
     *
     * <p>With netlink (JNA on JDK 17 to 21; JDK 22+ with native access enabled for sockleak) each descriptor is
     * looked up in the kernel's hash tables, and only a non-empty accept queue or a watched port costs a dump, which
     * the kernel filters to that port: the cost grows with this process's sockets, not with the namespace's. The
     * snapshot's {@link SocketSnapshot#coverage()} is then {@link SnapshotCoverage#PROCESS}, and
     * {@link SocketSnapshot#all()} holds those sockets only; {@link SocketSnapshot#own()},
     * {@link SocketSnapshot#listeners()} and ghosts are those a full snapshot would show. Where netlink cannot be
     * used, or this read fails, the whole table is read as {@link #snapshot()} reads it
     * ({@link SnapshotCoverage#NAMESPACE}), and {@link SocketSnapshot#sourceReason()} says why.
     *
     * @param watchedPorts local ports whose every socket is wanted, as a check of a server run by another process
     *                     needs; may be empty
     * @return the snapshot, of {@link SnapshotCoverage#PROCESS} coverage where netlink is used
     * @throws SocketSnapshotException when no source works
     */
    public static SocketSnapshot ownSnapshot(Set<Integer> watchedPorts) {
        return SourceSelection.system().ownAutomatic(validPorts(watchedPorts));
    }

    /**
     * Like {@link #ownSnapshot(Set)}, from {@code source} and no other: {@link SnapshotSource#PROCFS} reads the
     * whole table, since {@code /proc} cannot look sockets up one by one; {@link SnapshotSource#NETLINK} reads this
     * process's sockets, or its whole table when that read fails.
     *
     * @param source the kernel interface to read
     * @param watchedPorts local ports whose sockets are read even when another process holds them
     * @return the snapshot, of {@link SnapshotCoverage#PROCESS} coverage where netlink is used
     * @throws SocketSnapshotException when that source cannot be used here or fails, with the reason
     */
    public static SocketSnapshot ownSnapshot(SnapshotSource source, Set<Integer> watchedPorts) {
        return SourceSelection.system().ownChosen(source, validPorts(watchedPorts));
    }

    /**
     * Records this process's sockets while {@code action} runs: a sample every {@code interval}, kept as each
     * socket's states over time and each listener's accept queue over time.
     *
     * @param interval the time between two samples
     * @param action   the work whose sockets are recorded
     * @return the timeline
     * @throws Exception what {@code action} throws, after the recording stopped (a failed recording attached to it
     *                   as suppressed)
     * @throws SocketSnapshotException when a sample failed (see {@link SocketRecorder})
     */
    public static SocketTimeline record(Duration interval, SocketRecorder.Action action) throws Exception {
        return record(interval, Set.of(), action);
    }

    /**
     * Like {@link #record(Duration, SocketRecorder.Action)}, with every socket of {@code watchedPorts} too, whoever
     * holds it: the accept queue of a server run by another process, as the seed's {@code nc -l}.
     *
     * @param interval     the time between two samples
     * @param watchedPorts local ports whose every socket is recorded
     * @param action       the work whose sockets are recorded
     * @return the timeline
     * @throws Exception what {@code action} throws, after the recording stopped (a failed recording attached to it
     *                   as suppressed)
     * @throws SocketSnapshotException when a sample failed (see {@link SocketRecorder})
     */
    public static SocketTimeline record(Duration interval, Set<Integer> watchedPorts, SocketRecorder.Action action)
            throws Exception {
        SocketRecorder recorder = SocketRecorder.start(interval, watchedPorts);
        try {
            action.run();
        } catch (Exception | Error failure) {
            try {
                recorder.stop();
            } catch (RuntimeException recordingFailure) {
                failure.addSuppressed(recordingFailure); // the action's failure comes first
            }
            throw failure;
        }
        return recorder.stop();
    }

    static Set<Integer> validPorts(Set<Integer> ports) {
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("a watched port is from 1 to 65535, not " + port);
            }
        }
        return Set.copyOf(ports);
    }

    /**
     * The kernel's TCP counters of this network namespace now, from {@code /proc/net/netstat}.
     *
     * @return the counters now
     */
    public static TcpCounters counters() {
        return TcpCounters.read();
    }

    /**
     * Whether this machine has a kernel socket table sockleak can read: Linux with {@code /proc/net/tcp}, or
     * netlink where this JVM can use it (a container may hide {@code /proc/net} while the kernel still answers).
     *
     * @return whether snapshots can be taken here
     */
    public static boolean isSupported() {
        return SourceSelection.system().isSupported();
    }

    static SocketSnapshot snapshot(ProcfsSocketSource source) {
        return SnapshotBuilder.build(SnapshotSource.PROCFS, SnapshotCoverage.NAMESPACE, "/proc/net/tcp and /proc/net/tcp6",
                source.read());
    }
}
