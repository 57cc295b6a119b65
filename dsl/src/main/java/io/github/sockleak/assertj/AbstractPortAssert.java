package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.error.ShouldBeBindable.shouldBeBindable;
import static io.github.sockleak.assertj.error.ShouldBeBindable.shouldNotBeBindable;
import static io.github.sockleak.assertj.error.ShouldBeFree.shouldBeFree;
import static io.github.sockleak.assertj.error.ShouldBeFree.shouldNotBeFree;

import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Checks on whether a server could listen on a port again, as after a restart.
 *
 * <p>What blocks a new listener, as checked on Linux 6.18 with real loopback sockets:
 * <ul>
 *   <li>a LISTEN socket on the port (same address or a wildcard) blocks it always, {@code SO_REUSEADDR} or not;</li>
 *   <li>any other socket bound to the port (an accepted connection left ESTABLISHED or CLOSE-WAIT, a client bound
 *       to it, a TIME-WAIT or an orphaned FIN-WAIT-2) blocks it unless both that socket and the new listener set
 *       {@code SO_REUSEADDR}. The JDK's {@code ServerSocket} sets it on Linux and accepted connections inherit
 *       it from their listener, so a JDK server restarts over them; a listener without it does not;</li>
 *   <li>closing a listener resets the connections still in its accept queue: they free the port at once;</li>
 *   <li>a JDK listener closed while another thread waits in its {@code accept()} leaves its descriptor at once but
 *       keeps listening until that thread has left {@code accept()}: meanwhile {@link #isFree()} passes, since no
 *       descriptor of this process holds it, and {@link #isBindable()} fails, showing it as another process's.
 *       A server's stop should join its accepting thread.</li>
 * </ul>
 * The kernel's table does not show {@code SO_REUSEADDR}, so {@link #isFree()} reads the snapshot
 * conservatively (nothing in scope may be bound to the port), while {@link #isBindable()} asks the kernel itself.
 *
 * @param <SELF> the concrete assertion class, which every check returns
 */
public abstract class AbstractPortAssert<SELF extends AbstractPortAssert<SELF>> extends AbstractAssert<SELF, Port> {

    /**
     * For subclasses: an assertion on {@code actual}.
     *
     * @param actual the value to check
     * @param selfType the concrete assertion class
     */
    protected AbstractPortAssert(Port actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * No socket in scope (this process's, unless the snapshot assertion was widened) is bound to the port in the
     * snapshot, in any state: this process has let go of it. Each such socket blocks some restart: a LISTEN one
     * every restart, the others a restart without {@code SO_REUSEADDR}. The message tells them apart.
     *
     * @return this assertion, for more checks
     */
    public SELF isFree() {
        isNotNull();
        if (!actual.boundSockets().isEmpty()) {
            throwAssertionError(shouldBeFree(actual.number(), actual.scope().toString(), actual.boundSockets()));
        }
        return myself;
    }

    /**
     * Some socket in scope is bound to the port in the snapshot: the server still holds it.
     *
     * @return this assertion, for more checks
     */
    public SELF isNotFree() {
        isNotNull();
        if (actual.boundSockets().isEmpty()) {
            throwAssertionError(shouldNotBeFree(actual.number(), actual.scope().toString()));
        }
        return myself;
    }

    /**
     * A listener with {@code SO_REUSEADDR} can bind the port now, as a restarted server would: this binds and
     * listens on the address of the snapshot's listener on that port (loopback when it has none) and closes at
     * once. It asks the kernel at the time of the call, not at the snapshot's; the failure shows the bind error,
     * the snapshot's sockets on the port, and every process's sockets on it right after the bind: what took the
     * port after the snapshot, such as another process's client given it as its source port, shows only there.
     *
     * @return this assertion, for more checks
     */
    public SELF isBindable() {
        isNotNull();
        InetSocketAddress endpoint = actual.restartEndpoint();
        Optional<IOException> failure = tryToListen(endpoint);
        if (failure.isPresent()) {
            throwAssertionError(bindFailed(endpoint, failure.get()));
        }
        return myself;
    }

    /** The failure of {@link #isBindable()}, with every process's sockets on the port read again after the bind. */
    private ErrorMessageFactory bindFailed(InetSocketAddress endpoint, IOException failure) {
        String scope = actual.scope().toString();
        int port = endpoint.getPort();
        try {
            List<TcpSocket> boundNow = Sockets.snapshot().all().stream()
                    .filter(socket -> socket.local().getPort() == port)
                    .toList();
            return shouldBeBindable(endpoint, failure, scope, actual.boundSockets(), boundNow);
        } catch (SocketSnapshotException e) {
            return shouldBeBindable(endpoint, failure, scope, actual.boundSockets(), e.getMessage());
        }
    }

    /**
     * A listener with {@code SO_REUSEADDR} cannot bind the port now: a socket still listens on it, or holds it
     * without {@code SO_REUSEADDR}. Binds and closes at once, as {@link #isBindable()} does.
     *
     * @return this assertion, for more checks
     */
    public SELF isNotBindable() {
        isNotNull();
        InetSocketAddress endpoint = actual.restartEndpoint();
        if (tryToListen(endpoint).isEmpty()) {
            throwAssertionError(shouldNotBeBindable(endpoint));
        }
        return myself;
    }

    private static Optional<IOException> tryToListen(InetSocketAddress endpoint) {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(endpoint, 1);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e);
        }
    }
}
