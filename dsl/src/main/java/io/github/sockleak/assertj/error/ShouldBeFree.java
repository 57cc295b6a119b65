package io.github.sockleak.assertj.error;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** Sockets are still bound to a port that should be free, or none is bound to a port that should be held. */
public final class ShouldBeFree extends BasicErrorMessageFactory {

    private static final String LISTEN_BLOCKS = "A LISTEN socket blocks every new listener on its port, SO_REUSEADDR or not.";
    private static final String OTHERS_BLOCK = "Any other socket bound to the port blocks a new listener unless both set"
            + " SO_REUSEADDR (the JDK's ServerSocket does, and accepted connections inherit it from their listener);"
            + " isBindable() tries the real bind.";

    private ShouldBeFree(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A port that should be free is held by a socket in scope.
     *
     * @param bound the sockets in scope bound locally to {@code port}
     * @param port the local port
     * @param scope which sockets were looked at, as the message words it
     * @return the message factory
     */
    public static ErrorMessageFactory shouldBeFree(int port, String scope, List<TcpSocket> bound) {
        StringBuilder why = new StringBuilder();
        if (bound.stream().anyMatch(socket -> socket.state() == TcpState.LISTEN)) {
            why.append(System.lineSeparator()).append(LISTEN_BLOCKS);
        }
        if (bound.stream().anyMatch(socket -> socket.state() != TcpState.LISTEN)) {
            why.append(System.lineSeparator()).append(OTHERS_BLOCK);
        }
        return new ShouldBeFree("%nExpecting port %s to be free, but %s %s still bound to it:%n%s%s",
                port, unquotedString(KernelView.sockets(bound.size()) + " " + scope),
                unquotedString(bound.size() == 1 ? "is" : "are"), unquotedString(KernelView.table(bound)),
                unquotedString(why.toString()));
    }

    /**
     * A port that should be held by this process is free.
     *
     * @param port the local port
     * @param scope which sockets were looked at, as the message words it
     * @return the message factory
     */
    public static ErrorMessageFactory shouldNotBeFree(int port, String scope) {
        return new ShouldBeFree("%nExpecting port %s to be held by a socket %s, but none is bound to it.",
                port, unquotedString(scope));
    }
}
