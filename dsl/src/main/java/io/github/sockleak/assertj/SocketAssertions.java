package io.github.sockleak.assertj;

import io.github.sockleak.Listener;
import io.github.sockleak.SocketDiff;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.TcpSocket;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The entry point of the assertions on the kernel's sockets.
 *
 * <pre>{@code
 * import static io.github.sockleak.assertj.SocketAssertions.assertThat;
 *
 * assertThat(Sockets.snapshot()).hasNoSocketsIn(TcpState.CLOSE_WAIT)
 *         .listener(8080).hasAcceptQueueDepth(0).hasNoGhosts();
 * assertThat(after.since(before)).hasNoNewSocketsIn(TcpState.CLOSE_WAIT).hasNoPortReuse();
 * assertThat(Sockets.snapshot()).port(8080).isFree();
 * assertThat(Sockets.counters().since(countersBefore)).hasNoListenOverflows();
 * }</pre>
 *
 * The kernel moves on its own (a FIN arrives, a thread closes its socket a moment later); for a state it reaches
 * shortly, use {@link #eventually(Duration, Consumer)}. To collect several failures, use
 * {@link SocketSoftAssertions}. These static methods sit next to AssertJ's own {@code assertThat}: both can be
 * imported statically.
 */
public final class SocketAssertions {

    private SocketAssertions() {
    }

    /**
     * Checks on a snapshot's sockets, over this process's own unless widened; navigates to listeners and ports.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public static SocketSnapshotAssert assertThat(SocketSnapshot actual) {
        return new SocketSnapshotAssert(actual);
    }

    /**
     * Checks on a recorded timeline: navigates to a socket's or a listener's history.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public static SocketTimelineAssert assertThat(SocketTimeline actual) {
        return new SocketTimelineAssert(actual);
    }

    /**
     * Checks on a listener's accept queue and backlog.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public static ListenerAssert assertThat(Listener actual) {
        return new ListenerAssert(actual);
    }

    /**
     * Checks on what changed between two snapshots: {@code assertThat(after.since(before))}.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public static SocketDiffAssert assertThat(SocketDiff actual) {
        return new SocketDiffAssert(actual);
    }

    /**
     * Checks on one socket.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public static TcpSocketAssert assertThat(TcpSocket actual) {
        return new TcpSocketAssert(actual);
    }

    /**
     * Checks on how the kernel's counters moved: {@code assertThat(Sockets.counters().since(before))}.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public static TcpCountersAssert assertThat(TcpCounters actual) {
        return new TcpCountersAssert(actual);
    }

    /**
     * Checks fresh snapshots ({@link io.github.sockleak.Sockets#snapshot()}) until {@code check} passes on one,
     * polling with growing pauses from 1 ms up to 100 ms, and returns that snapshot. When {@code timeout} passes
     * first, fails with the last snapshot's failure (the closest the kernel came), not the first one. At least one
     * snapshot is checked, so a timeout of zero checks once.
     *
     * <pre>{@code
     * client.close();
     * eventually(Duration.ofSeconds(2), snapshot -> assertThat(snapshot).listener(port).hasQueued(1));
     * }</pre>
     *
     * Inside {@code check}, use these static assertions, which throw: soft ones would collect the failure instead
     * and the first snapshot would pass. To use it among soft assertions, wrap it: {@code softly.check(() ->
     * eventually(...))}.
     *
     * @param check throws an {@link AssertionError} while the snapshot is not as expected; other exceptions end
     *              the wait at once
     * @param timeout how long to keep trying
     * @return the first snapshot that passed {@code check}
     */
    public static SocketSnapshot eventually(Duration timeout, Consumer<SocketSnapshot> check) {
        return Eventually.check(timeout, check);
    }
}
