package io.github.sockleak.assertj.error;

import io.github.sockleak.Owner;
import io.github.sockleak.TcpSocket;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A socket is held by someone other than expected. */
public final class ShouldHaveOwner extends BasicErrorMessageFactory {

    private ShouldHaveOwner(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A socket has another owner than expected.
     *
     * @param socket the socket
     * @param expected the value expected
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveOwner(TcpSocket socket, Owner expected) {
        return create(socket, String.valueOf(expected));
    }

    /**
     * A socket is not this process's.
     *
     * @param socket the socket
     * @return the message factory
     */
    public static ErrorMessageFactory shouldBeOwn(TcpSocket socket) {
        return create(socket, Owner.THIS_PROCESS + " or " + Owner.ACCEPT_QUEUE + " (this process's)");
    }

    private static ErrorMessageFactory create(TcpSocket socket, String expectation) {
        return new ShouldHaveOwner("%nExpecting the socket's owner to be %s, but it is %s:%n%s",
                unquotedString(expectation), unquotedString(socket.owner().toString()),
                unquotedString(KernelView.table(List.of(socket))));
    }
}
