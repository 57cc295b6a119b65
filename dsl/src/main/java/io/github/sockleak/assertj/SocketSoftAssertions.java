package io.github.sockleak.assertj;

import io.github.sockleak.Listener;
import io.github.sockleak.SocketDiff;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.TcpSocket;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * The soft version of {@link SocketAssertions}: failures are collected, and {@link #assertAll()} reports them all
 * at once, so one run shows every listener and state that is off.
 *
 * <pre>{@code
 * SocketSoftAssertions softly = new SocketSoftAssertions();
 * softly.assertThat(snapshot).hasNoSocketsIn(TcpState.CLOSE_WAIT);
 * softly.assertThat(snapshot).listener(8080).hasNoGhosts().hasAcceptQueueDepthAtMost(10);
 * softly.assertThat(after.since(before)).hasNoPortReuse();
 * softly.assertAll();
 * }</pre>
 *
 * Navigation stays soft: {@code listener(port)}, {@code port(port)} and {@code socketsIn(state)} return
 * assertions that report to the same collector. A navigation that fails (no listener on that port) is reported
 * once, and the checks chained after it are skipped. Works with AssertJ's {@code SoftAssertionsExtension}
 * ({@code @InjectSoftAssertions SocketSoftAssertions softly}); for {@link SocketAssertions#eventually}, use
 * {@code softly.check(() -> eventually(...))}.
 */
public class SocketSoftAssertions extends AbstractSoftAssertions {

    /** A collector of soft assertions; {@link #assertAll()} reports what they collected. */
    public SocketSoftAssertions() {
    }

    /**
     * Runs {@code assertions} on a fresh instance and reports every failure they collected, if any.
     *
     * @param assertions the soft assertions to run
     */
    public static void assertSoftly(Consumer<SocketSoftAssertions> assertions) {
        SoftAssertionsProvider.assertSoftly(SocketSoftAssertions.class, assertions);
    }

    /**
     * A soft assertion on {@code actual}: failures are collected, not thrown at once.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public SocketSnapshotAssert assertThat(SocketSnapshot actual) {
        SocketSnapshotAssert snapshotAssert = proxy(SocketSnapshotAssert.class, SocketSnapshot.class, actual);
        snapshotAssert.navigation = Navigation.softly(this);
        return snapshotAssert;
    }

    /**
     * A soft assertion on {@code actual}: failures are collected, not thrown at once, navigation included.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public SocketTimelineAssert assertThat(SocketTimeline actual) {
        SocketTimelineAssert timelineAssert = proxy(SocketTimelineAssert.class, SocketTimeline.class, actual);
        timelineAssert.navigation = Navigation.softly(this);
        return timelineAssert;
    }

    /**
     * A soft assertion on {@code actual}: failures are collected, not thrown at once.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public ListenerAssert assertThat(Listener actual) {
        return proxy(ListenerAssert.class, Listener.class, actual);
    }

    /**
     * A soft assertion on {@code actual}: failures are collected, not thrown at once.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public SocketDiffAssert assertThat(SocketDiff actual) {
        return proxy(SocketDiffAssert.class, SocketDiff.class, actual);
    }

    /**
     * A soft assertion on {@code actual}: failures are collected, not thrown at once.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public TcpSocketAssert assertThat(TcpSocket actual) {
        return proxy(TcpSocketAssert.class, TcpSocket.class, actual);
    }

    /**
     * A soft assertion on {@code actual}: failures are collected, not thrown at once.
     *
     * @param actual the value to check
     * @return an assertion on {@code actual}
     */
    public TcpCountersAssert assertThat(TcpCounters actual) {
        return proxy(TcpCountersAssert.class, TcpCounters.class, actual);
    }
}
