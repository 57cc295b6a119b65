package io.github.sockleak.junit.internal;

import io.github.sockleak.Listener;
import io.github.sockleak.Owner;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.junit.internal.origins.Origin;
import io.github.sockleak.junit.internal.origins.TestMark;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Decides what a leak is. A socket counts when this process is responsible for it (or it is on a watched port)
 * and no ignored port is involved; it leaks when the test opened it and it is in a failing state. A listener
 * leaks when its accept queue holds counted connections the test opened, or ghosts it did not have before; so
 * does another process's listener on a watched port.
 *
 * <p>"The test opened it" means: the socket appeared during the check. When the origin agent saw another test
 * open it (tests running in parallel), it is that test's, and not blamed here. A connection waiting in an accept
 * queue has no JDK object: its client's origin speaks for it, when the client is in this JVM (open, or closed
 * lately), else its listener's. A listener another test opened takes its whole queue, ghosts too, to that test.
 */
public final class LeakPolicy {

    private final LeakSettings settings;
    private final SocketOrigins origins;
    private final TestMark check;

    /** @param check the mark of the check this policy judges for; sockets the agent saw opened for another are not its own */
    public LeakPolicy(LeakSettings settings, SocketOrigins origins, TestMark check) {
        this.settings = settings;
        this.origins = origins;
        this.check = check;
    }

    /** What {@code after} shows leaked since {@code baseline}. */
    public LeakFindings findLeaks(Baseline baseline, SocketSnapshot after) {
        Predicate<TcpSocket> opened = baseline.openedIn(after);
        List<TcpSocket> failing = after.all().stream()
                .filter(opened)
                .filter(this::counts)
                .filter(socket -> settings.failOn().contains(socket.state()))
                .collect(Collectors.toList());
        List<TcpSocket> leaked = new ArrayList<>();
        List<TcpSocket> otherTests = new ArrayList<>();
        for (TcpSocket socket : failing) {
            (openedByAnotherTest(socket) ? otherTests : leaked).add(socket);
        }
        List<LeakFindings.AcceptQueueLeak> acceptQueues = new ArrayList<>();
        for (Listener listener : checkedListeners(after)) {
            if (settings.ignorePorts().contains(listener.port())) {
                continue;
            }
            if (openedByAnotherTest(listener.socket())) {
                listener.queued().stream().filter(opened).forEach(otherTests::add);
                continue;
            }
            List<TcpSocket> neverAccepted = listener.queued().stream()
                    .filter(opened)
                    .filter(child -> !openedByAnotherTest(child))
                    .collect(Collectors.toList());
            int newGhosts = listener.ghosts() - baseline.ghostsBefore(listener);
            if (!neverAccepted.isEmpty() || newGhosts > 0) {
                acceptQueues.add(new LeakFindings.AcceptQueueLeak(listener, neverAccepted, Math.max(0, newGhosts)));
            }
        }
        return new LeakFindings(leaked, acceptQueues, otherTests);
    }

    /**
     * The check the agent saw open {@code socket}; empty when it cannot tell. For a connection nobody accepted, the
     * client's origin, or failing that the listener's: the first of them that names a check.
     */
    public Optional<TestMark> openedFor(TcpSocket socket) {
        Optional<Origin> origin = origins.of(socket);
        if (origin.isEmpty() && QueuedConnection.waitsForAccept(socket)) {
            origin = origins.peerOf(socket).filter(client -> client.test() != null).or(() -> origins.listenerOf(socket));
        }
        return origin.map(Origin::test);
    }

    /**
     * This process's listeners, and other processes' on a watched port: a server the test started as a child
     * process leaks into its own queue as ours would, and the test's clients are what fill it.
     */
    private List<Listener> checkedListeners(SocketSnapshot after) {
        return after.allListeners().stream()
                .filter(listener -> listener.socket().isOwn() || settings.watchPorts().contains(listener.port()))
                .collect(Collectors.toList());
    }

    private boolean openedByAnotherTest(TcpSocket socket) {
        return check != null && openedFor(socket).filter(test -> test != check).isPresent();
    }

    private boolean counts(TcpSocket socket) {
        if (settings.ignorePorts().contains(socket.local().getPort()) || settings.ignorePorts().contains(socket.remote().getPort())) {
            return false;
        }
        return socket.isOwn() || (socket.owner() != Owner.ORPHAN && settings.watchPorts().contains(socket.local().getPort()));
    }
}
