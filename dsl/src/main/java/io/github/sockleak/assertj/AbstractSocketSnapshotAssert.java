package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.error.ShouldCoverNamespace.shouldCoverNamespace;
import static io.github.sockleak.assertj.error.ShouldHaveListener.shouldHaveListener;
import static io.github.sockleak.assertj.error.ShouldHaveListener.shouldHaveListenerInNamespace;
import static io.github.sockleak.assertj.error.ShouldHaveSocketsIn.shouldHaveNoSocketsIn;
import static io.github.sockleak.assertj.error.ShouldHaveSocketsIn.shouldHaveSocketsIn;

import io.github.sockleak.Listener;
import io.github.sockleak.SnapshotCoverage;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.ListAssert;
import org.assertj.core.description.Description;
import org.assertj.core.description.TextDescription;

/**
 * Checks on a {@link SocketSnapshot}, and navigation to its sockets in a state, its listeners and its ports.
 *
 * <p>Every check looks at this process's sockets ({@link SocketSnapshot#own()}) unless
 * {@link #includingOtherProcesses()} widens it: other processes of the network namespace open and close sockets
 * while a test runs, and a test should fail only for what it controls. So does {@link #listener(int)}: after
 * {@code includingOtherProcesses()} it finds any process's listener, for instance a server run in another process.
 *
 * @param <SELF> the concrete assertion class, which every check returns
 */
public abstract class AbstractSocketSnapshotAssert<SELF extends AbstractSocketSnapshotAssert<SELF>>
        extends AbstractAssert<SELF, SocketSnapshot> {

    private Scope scope = Scope.THIS_PROCESS;
    /** Replaced by {@link SocketSoftAssertions} so that navigation stays soft. */
    Navigation navigation = Navigation.DIRECT;

    /**
     * For subclasses: an assertion on {@code actual}.
     *
     * @param actual the value to check
     * @param selfType the concrete assertion class
     */
    protected AbstractSocketSnapshotAssert(SocketSnapshot actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * Makes the checks and navigations after this one look at every socket of the network namespace, whoever
     * holds it (other processes, orphans, TIME-WAIT), not only this process's. For a server run in another
     * process, for instance. Fails on a snapshot of this process's sockets alone
     * ({@link SnapshotCoverage#PROCESS}), which cannot show them.
     *
     * @return this assertion, for more checks
     */
    public SELF includingOtherProcesses() {
        if (actual != null && actual.coverage() != SnapshotCoverage.NAMESPACE) {
            throwAssertionError(shouldCoverNamespace(actual));
        }
        scope = Scope.NAMESPACE;
        return myself;
    }

    /**
     * No socket is in any of {@code states}: for instance no CLOSE-WAIT connection that nobody closes.
     *
     * @param states the states looked for
     * @return this assertion, for more checks
     */
    public SELF hasNoSocketsIn(TcpState... states) {
        StateFilter inStates = StateFilter.of(states);
        isNotNull();
        List<TcpSocket> found = sockets(inStates);
        if (!found.isEmpty()) {
            throwAssertionError(shouldHaveNoSocketsIn(scope.toString(), states, found));
        }
        return myself;
    }

    /**
     * Exactly {@code count} sockets are in {@code state}.
     *
     * @param state the state
     * @param count how many sockets are expected
     * @return this assertion, for more checks
     */
    public SELF hasSocketsIn(TcpState state, int count) {
        StateFilter inState = StateFilter.of(state);
        isNotNull();
        List<TcpSocket> found = sockets(inState);
        if (found.size() != count) {
            throwAssertionError(shouldHaveSocketsIn(scope.toString(), state, count, found));
        }
        return myself;
    }

    /**
     * The sockets in {@code state}, for any list check: {@code socketsIn(CLOSE_WAIT).allMatch(...)}.
     *
     * @param state the state
     * @return an assertion on the list of those sockets
     */
    @SuppressWarnings("unchecked")
    public ListAssert<TcpSocket> socketsIn(TcpState state) {
        StateFilter inState = StateFilter.of(state);
        Class<ListAssert<TcpSocket>> assertType = (Class<ListAssert<TcpSocket>>) (Class<?>) ListAssert.class;
        return navigation.to(assertType, List.class, () -> {
                    isNotNull();
                    return sockets(inState);
                }, sockets -> new ListAssert<TcpSocket>((List<TcpSocket>) sockets))
                .describedAs(describedWithThis("sockets " + scope + " in " + state));
    }

    /**
     * This process's listener on {@code port}, for checks on its accept queue; with several on that port, the one
     * with the deepest queue. Fails, listing the ports this process does listen on, when it has none there.
     *
     * <p>After {@link #includingOtherProcesses()}, any process's listener on {@code port}, with its queued children
     * and ghosts ({@link SocketSnapshot#allListeners()}): every listener check applies to it alike.
     *
     * @param port the local port
     * @return an assertion on that listener
     */
    public ListenerAssert listener(int port) {
        ListenerAssert listener = navigation.to(ListenerAssert.class, Listener.class, () -> {
            isNotNull();
            if (scope == Scope.NAMESPACE) {
                return deepest(actual.allListeners(), port).orElseThrow(() -> assertionError(
                        shouldHaveListenerInNamespace(port, actual.allListeners())));
            }
            return actual.listener(port).orElseThrow(() -> assertionError(shouldHaveListener(port, actual.listeners(),
                    listeningElsewhere(port))));
        }, ListenerAssert::new);
        return withThisDescription(listener);
    }

    /** As {@link SocketSnapshot#listener(int)} chooses among this process's: the deepest accept queue. */
    private static Optional<Listener> deepest(List<Listener> listeners, int port) {
        return listeners.stream()
                .filter(listener -> listener.port() == port)
                .max(Comparator.comparingInt(Listener::acceptQueueDepth));
    }

    /**
     * The sockets bound locally to {@code port}, for checks on whether a server can listen there again.
     *
     * @param port the local port
     * @return an assertion on that port
     */
    public PortAssert port(int port) {
        PortAssert portAssert = navigation.to(PortAssert.class, Port.class, () -> {
            isNotNull();
            return new Port(actual, port, scope);
        }, PortAssert::new);
        return withThisDescription(portAssert);
    }

    private List<TcpSocket> sockets(Predicate<TcpSocket> filter) {
        return actual.all().stream().filter(scope::includes).filter(filter).collect(Collectors.toUnmodifiableList());
    }

    /** Other processes' listeners on the port: the test may be looking at the wrong process. */
    private List<TcpSocket> listeningElsewhere(int port) {
        return actual.all().stream()
                .filter(socket -> socket.state() == TcpState.LISTEN && !socket.isOwn() && socket.local().getPort() == port)
                .collect(Collectors.toUnmodifiableList());
    }

    // A navigated assertion keeps this one's description ("as(...)"), so its failures say which check they belong to.

    private <A extends AbstractAssert<A, ?>> A withThisDescription(A navigated) {
        return info.hasDescription() ? navigated.describedAs(info.description()) : navigated;
    }

    private Description describedWithThis(String what) {
        return info.hasDescription() ? new TextDescription("%s: %s", info.descriptionText(), what) : new TextDescription(what);
    }
}
