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

    /** The snapshot taken before the test (before its {@code @BeforeEach} methods; before all, for a class-scoped check). */
    public SocketSnapshot baseline() {
        return baseline;
    }

    /** A fresh snapshot, now, from the source the check uses ({@code sockleak.source}). */
    public SocketSnapshot snapshot() {
        return snapshots.get();
    }

    /** What changed since the baseline, as of now. */
    public SocketDiff diff() {
        return snapshot().since(baseline);
    }

    /**
     * How the kernel's TCP counters moved since the baseline, such as {@link TcpCounters#listenOverflows()}.
     * They count for the whole network namespace, so other processes move them too.
     */
    public TcpCounters counterChanges() {
        return Sockets.counters().since(baselineCounters);
    }
}
