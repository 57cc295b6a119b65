package io.github.sockleak.assertj.error;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A socket is in another TCP state than expected. */
public final class ShouldHaveState extends BasicErrorMessageFactory {

    private ShouldHaveState(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A socket is in another state than expected.
     *
     * @param socket the socket
     * @param expected the value expected
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveState(TcpSocket socket, TcpState expected) {
        return new ShouldHaveState("%nExpecting the socket to be in %s, but it is in %s:%n%s",
                unquotedString(expected.toString()), unquotedString(socket.state().toString()),
                unquotedString(KernelView.table(List.of(socket))));
    }
}
