package io.github.sockleak.assertj.error;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.internal.Addresses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A new listener could not bind a port that should be bindable, or could bind one that should not be. */
public final class ShouldBeBindable extends BasicErrorMessageFactory {

    private ShouldBeBindable(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A port that should be bindable could not be bound.
     *
     * @param endpoint the address that was bound
     * @param failure  why binding failed
     * @param scope    which sockets were looked at, as the message words it
     * @param bound    the sockets in scope that the snapshot showed bound to the port; the bind was tried later, so
     *                 they are context, not proof
     * @param boundNow every process's sockets bound to the port, read right after the failed bind
     * @return the message factory
     */
    public static ErrorMessageFactory shouldBeBindable(InetSocketAddress endpoint, IOException failure, String scope,
                                                       List<TcpSocket> bound, List<TcpSocket> boundNow) {
        return bindFailed(endpoint, failure, scope, bound, String.format(
                "%nRight after the failed bind, every process's sockets bound to port %s:%n%s",
                endpoint.getPort(), KernelView.table(boundNow)));
    }

    /**
     * Like {@link #shouldBeBindable(InetSocketAddress, IOException, String, List, List)}, when every process's
     * sockets on the port could not be read after the bind.
     *
     * @param endpoint   the address that was bound
     * @param failure    why binding failed
     * @param scope      which sockets were looked at, as the message words it
     * @param bound      the sockets in scope that the snapshot showed bound to the port
     * @param unreadable why they could not be read
     * @return the message factory
     */
    public static ErrorMessageFactory shouldBeBindable(InetSocketAddress endpoint, IOException failure, String scope,
                                                       List<TcpSocket> bound, String unreadable) {
        return bindFailed(endpoint, failure, scope, bound, String.format(
                "%nEvery process's sockets on port %s could not be read after the failed bind: %s",
                endpoint.getPort(), unreadable));
    }

    private static ErrorMessageFactory bindFailed(InetSocketAddress endpoint, IOException failure, String scope,
                                                  List<TcpSocket> bound, String afterTheBind) {
        return new ShouldBeBindable("%nExpecting a listener with SO_REUSEADDR to bind %s now, as a restarted server would,"
                        + " but the bind failed: %s%nThe snapshot showed these sockets %s bound to port %s:%n%s%s",
                unquotedString(Addresses.format(endpoint)), unquotedString(String.valueOf(failure.getMessage())),
                unquotedString(scope), endpoint.getPort(),
                unquotedString(KernelView.table(bound)), unquotedString(afterTheBind));
    }

    /**
     * A port that should not be bindable could be bound.
     *
     * @param endpoint the address that was bound
     * @return the message factory
     */
    public static ErrorMessageFactory shouldNotBeBindable(InetSocketAddress endpoint) {
        return new ShouldBeBindable("%nExpecting a listener with SO_REUSEADDR not to be able to bind %s, but it bound it.",
                unquotedString(Addresses.format(endpoint)));
    }
}
