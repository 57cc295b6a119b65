package io.github.sockleak.junit.internal;

import io.github.sockleak.Listener;
import io.github.sockleak.Owner;
import io.github.sockleak.SocketDiff;
import io.github.sockleak.TcpSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides what a leak is. A socket counts when this process is responsible for it (or it is on a watched port)
 * and no ignored port is involved; it leaks when the test opened it and it is in a failing state. A listener
 * leaks when its accept queue holds counted connections the test opened, or ghosts it did not have before.
 */
public final class LeakPolicy {

    private final LeakSettings settings;

    public LeakPolicy(LeakSettings settings) {
        this.settings = settings;
    }

    public LeakFindings findLeaks(SocketDiff diff) {
        Set<TcpSocket> opened = new HashSet<>(diff.opened());
        List<TcpSocket> leaked = diff.opened().stream()
                .filter(this::counts)
                .filter(socket -> settings.failOn().contains(socket.state()))
                .collect(Collectors.toList());
        List<LeakFindings.AcceptQueueLeak> acceptQueues = new ArrayList<>();
        for (Listener listener : diff.after().listeners()) {
            if (settings.ignorePorts().contains(listener.port())) {
                continue;
            }
            List<TcpSocket> neverAccepted = listener.queued().stream().filter(opened::contains).collect(Collectors.toList());
            int newGhosts = listener.ghosts() - ghostsBefore(diff, listener);
            if (!neverAccepted.isEmpty() || newGhosts > 0) {
                acceptQueues.add(new LeakFindings.AcceptQueueLeak(listener, neverAccepted, Math.max(0, newGhosts)));
            }
        }
        return new LeakFindings(leaked, acceptQueues);
    }

    private boolean counts(TcpSocket socket) {
        if (settings.ignorePorts().contains(socket.local().getPort()) || settings.ignorePorts().contains(socket.remote().getPort())) {
            return false;
        }
        return socket.isOwn() || (socket.owner() != Owner.ORPHAN && settings.watchPorts().contains(socket.local().getPort()));
    }

    private static int ghostsBefore(SocketDiff diff, Listener listener) {
        return diff.before().listeners().stream()
                .filter(earlier -> earlier.socket().inode() == listener.socket().inode())
                .mapToInt(Listener::ghosts)
                .findFirst()
                .orElse(0);
    }
}
