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
     * @param bound the sockets in scope that the snapshot showed bound to the port; the bind was tried later, so
     *              they are context, not proof
     * @param endpoint the address that was bound
     * @param failure why binding failed, or null
     * @param scope which sockets were looked at, as the message words it
     * @return the message factory
     */
    public static ErrorMessageFactory shouldBeBindable(InetSocketAddress endpoint, IOException failure, String scope,
                                                       List<TcpSocket> bound) {
        return new ShouldBeBindable("%nExpecting a listener with SO_REUSEADDR to bind %s now, as a restarted server would,"
                        + " but the bind failed: %s%nThe snapshot showed these sockets %s bound to port %s:%n%s",
                unquotedString(Addresses.format(endpoint)), unquotedString(String.valueOf(failure.getMessage())),
                unquotedString(scope), endpoint.getPort(),
                unquotedString(KernelView.table(bound)));
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
