package io.github.sockleak.junit;

import io.github.sockleak.SocketDiff;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpCounters;
import java.util.function.Supplier;

/**
 * The kernel's view of the running test's sockets, injected as a test-method parameter by
 * {@link SocketLeakExtension}:
 *
 * <pre>{@code
 * @Test
 * void drainsTheAcceptQueue(SocketProbe sockets) {
 *     ...
 *     assertThat(sockets.diff()).hasNoNewSocketsIn(TcpState.CLOSE_WAIT);
 * }
 * }</pre>
 *
 * <p>Its snapshots hold what the leak check looks at: this process's sockets, the connections queued on its
 * listeners, and the sockets on the watched ports. Where netlink is used that is all they hold
 * ({@link io.github.sockleak.SnapshotCoverage#PROCESS}), so their cost does not grow with other processes'
 * sockets; for every socket of the namespace, take {@link Sockets#snapshot()}.
 */
public final class SocketProbe {

    private final SocketSnapshot baseline;
    private final TcpCounters baselineCounters;
    private final Supplier<SocketSnapshot> snapshots;

    SocketProbe(SocketSnapshot baseline, TcpCounters baselineCounters, Supplier<SocketSnapshot> snapshots) {
        this.baseline = baseline;
        this.baselineCounters = baselineCounters;
        this.snapshots = snapshots;
    }

    /**
     * The check's baseline, taken before the test (before its {@code @BeforeEach} methods; before all, for a
     * class-scoped check): this process's sockets, those queued on its listeners and those on the watched ports,
     * and, where {@code /proc} is read, every other socket of the namespace too ({@link SocketSnapshot#coverage()}).
     *
     * @return the baseline snapshot
     */
    public SocketSnapshot baseline() {
        return baseline;
    }

    /**
     * A fresh snapshot, now, read as the check reads its own ({@code sockleak.source}, the watched ports), so {@link #diff()} compares like with like.
     *
     * @return the snapshot
     */
    public SocketSnapshot snapshot() {
        return snapshots.get();
    }

    /**
     * What changed since the baseline, as of now.
     *
     * @return the diff from the baseline to a fresh snapshot
     */
    public SocketDiff diff() {
        return snapshot().since(baseline);
    }

    /**
     * How the kernel's TCP counters moved since the baseline, such as {@link TcpCounters#listenOverflows()}.
     * They count for the whole network namespace, so other processes move them too.
     *
     * @return the change of each counter
     */
    public TcpCounters counterChanges() {
        return Sockets.counters().since(baselineCounters);
    }
}
