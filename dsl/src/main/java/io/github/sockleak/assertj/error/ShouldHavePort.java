package io.github.sockleak.assertj.error;

import io.github.sockleak.TcpSocket;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A socket's local or remote port is not the expected one. */
public final class ShouldHavePort extends BasicErrorMessageFactory {

    private ShouldHavePort(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A socket's local port is not the one expected.
     *
     * @param socket the socket
     * @param expected the value expected
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveLocalPort(TcpSocket socket, int expected) {
        return create(socket, "local", expected, socket.local().getPort());
    }

    /**
     * A socket's peer port is not the one expected.
     *
     * @param socket the socket
     * @param expected the value expected
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveRemotePort(TcpSocket socket, int expected) {
        return create(socket, "remote", expected, socket.remote().getPort());
    }

    private static ErrorMessageFactory create(TcpSocket socket, String end, int expected, int actual) {
        return new ShouldHavePort("%nExpecting the socket's %s port to be %s, but it is %s:%n%s",
                unquotedString(end), expected, actual,
                unquotedString(KernelView.table(List.of(socket))));
    }
}
