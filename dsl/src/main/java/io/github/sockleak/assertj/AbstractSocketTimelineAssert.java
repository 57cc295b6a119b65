package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.error.ShouldHaveRecorded.shouldHaveRecorded;
import static io.github.sockleak.assertj.error.ShouldHaveRecorded.shouldHaveRecordedListener;

import io.github.sockleak.ListenerHistory;
import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.TcpSocket;
import java.net.InetSocketAddress;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Navigation from a recorded {@link SocketTimeline} to the history of one socket or one listener, whose assertions
 * check what happened over the recording: how long a socket was in a state, whether a queue ever held ghosts.
 *
 * <pre>{@code
 * SocketTimeline timeline = Sockets.record(Duration.ofMillis(5), () -> client.call(server));
 * assertThat(timeline).socket(local, remote).wasIn(TcpState.CLOSE_WAIT).forAtMost(Duration.ofMillis(200));
 * assertThat(timeline).listener(server.port()).neverHadGhosts();
 * }</pre>
 *
 * @param <SELF> the concrete assertion class
 */
public abstract class AbstractSocketTimelineAssert<SELF extends AbstractSocketTimelineAssert<SELF>>
        extends AbstractAssert<SELF, SocketTimeline> {

    /** Replaced by {@link SocketSoftAssertions} so that navigation stays soft. */
    Navigation navigation = Navigation.DIRECT;

    /**
     * For subclasses: an assertion on {@code actual}.
     *
     * @param actual   the value to check
     * @param selfType the concrete assertion class
     */
    protected AbstractSocketTimelineAssert(SocketTimeline actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * The history of {@code socket}, a socket of a snapshot: found by cookie where both have one, else by inode and
     * 4-tuple ({@link SocketTimeline#socket(TcpSocket)}). Fails when the recording never saw it.
     *
     * @param socket a socket of a snapshot
     * @return an assertion on its history
     */
    public SocketHistoryAssert socket(TcpSocket socket) {
        return withThisDescription(navigation.to(SocketHistoryAssert.class, SocketHistory.class, () -> {
            isNotNull();
            return actual.socket(socket).orElseThrow(() -> assertionError(shouldHaveRecorded(actual, socket)));
        }, SocketHistoryAssert::new));
    }

    /**
     * The history of the socket with these two ends: the latest, when a new socket took the 4-tuple of an earlier
     * one (port reuse). Fails when the recording never saw the 4-tuple.
     *
     * @param local  the socket's local end
     * @param remote its peer's end
     * @return an assertion on its history
     */
    public SocketHistoryAssert socket(InetSocketAddress local, InetSocketAddress remote) {
        return withThisDescription(navigation.to(SocketHistoryAssert.class, SocketHistory.class, () -> {
            isNotNull();
            List<SocketHistory> histories = actual.sockets(local, remote);
            if (histories.isEmpty()) {
                throw assertionError(shouldHaveRecorded(actual, local, remote));
            }
            return histories.get(histories.size() - 1);
        }, SocketHistoryAssert::new));
    }

    /**
     * The history of the listener on {@code port} ({@link SocketTimeline#listener(int)}). Fails when the recording
     * saw no listener there.
     *
     * @param port a local port
     * @return an assertion on its history
     */
    public ListenerHistoryAssert listener(int port) {
        return withThisDescription(navigation.to(ListenerHistoryAssert.class, ListenerHistory.class, () -> {
            isNotNull();
            return actual.listener(port).orElseThrow(() -> assertionError(shouldHaveRecordedListener(actual, port)));
        }, ListenerHistoryAssert::new));
    }

    private <A extends AbstractAssert<A, ?>> A withThisDescription(A navigated) {
        return info.hasDescription() ? navigated.describedAs(info.description()) : navigated;
    }
}
