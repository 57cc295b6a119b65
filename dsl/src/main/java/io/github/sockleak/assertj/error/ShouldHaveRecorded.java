package io.github.sockleak.assertj.error;

import io.github.sockleak.SocketTimeline;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.internal.Addresses;
import java.net.InetSocketAddress;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A timeline never saw the socket or listener a check navigates to. */
public final class ShouldHaveRecorded extends BasicErrorMessageFactory {

    private ShouldHaveRecorded(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * The timeline has no history of {@code socket}.
     *
     * @param timeline the timeline
     * @param socket   the socket looked for
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveRecorded(SocketTimeline timeline, TcpSocket socket) {
        return new ShouldHaveRecorded("%nExpecting the timeline to have recorded the socket%n%s%nbut it never saw it"
                        + " (by cookie where both have one, else by inode and 4-tuple). It recorded:%n%s",
                unquotedString(socket.toString()), unquotedString(recorded(timeline)));
    }

    /**
     * The timeline has no socket with these two ends.
     *
     * @param timeline the timeline
     * @param local    the local end looked for
     * @param remote   the peer's end looked for
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveRecorded(SocketTimeline timeline, InetSocketAddress local,
                                                         InetSocketAddress remote) {
        return new ShouldHaveRecorded("%nExpecting the timeline to have recorded a socket from %s to %s, but it never"
                        + " saw one. It recorded:%n%s",
                unquotedString(Addresses.format(local)), unquotedString(Addresses.format(remote)),
                unquotedString(recorded(timeline)));
    }

    /**
     * The timeline has no listener on {@code port}.
     *
     * @param timeline the timeline
     * @param port     the port looked for
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveRecordedListener(SocketTimeline timeline, int port) {
        String listeners = timeline.listeners().isEmpty() ? "(no listener)" : timeline.listeners().stream()
                .map(listener -> listener.socket().toString()).collect(Collectors.joining(System.lineSeparator()));
        return new ShouldHaveRecorded("%nExpecting the timeline to have recorded a listener on port %s, but it never saw"
                        + " one. Listeners it recorded:%n%s",
                port, unquotedString(listeners));
    }

    private static String recorded(SocketTimeline timeline) {
        return timeline.sockets().isEmpty() ? "(no socket)" : timeline.sockets().stream()
                .map(history -> history.first() + System.lineSeparator() + "    " + history.summary())
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
