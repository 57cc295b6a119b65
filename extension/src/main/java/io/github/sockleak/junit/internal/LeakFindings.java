package io.github.sockleak.junit.internal;

import io.github.sockleak.Listener;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.junit.internal.origins.AbandonedSocket;
import java.util.List;

/**
 * What a check found: sockets the test opened that are in a failing state, listeners whose accept queue holds
 * connections the test opened, and (with the agent) sockets of the test that the garbage collector closed because
 * the application never did. With origins, sockets that would have counted but that the agent saw another test
 * open are set apart in {@code otherTests}: they are that test's leaks, not this one's.
 */
public record LeakFindings(List<TcpSocket> leaked, List<AcceptQueueLeak> acceptQueues, List<TcpSocket> otherTests,
                           List<AbandonedSocket> abandoned) {

    public LeakFindings {
        leaked = List.copyOf(leaked);
        acceptQueues = List.copyOf(acceptQueues);
        otherTests = List.copyOf(otherTests);
        abandoned = List.copyOf(abandoned);
    }

    /** What one probe found: the kernel's view, before the agent is asked about collected sockets. */
    LeakFindings(List<TcpSocket> leaked, List<AcceptQueueLeak> acceptQueues, List<TcpSocket> otherTests) {
        this(leaked, acceptQueues, otherTests, List.of());
    }

    /**
     * A listener of this process, or another process's on a watched port, that ends the test with connections
     * never accepted, or with more ghosts than it started with.
     */
    public record AcceptQueueLeak(Listener listener, List<TcpSocket> neverAccepted, int newGhosts) {

        public AcceptQueueLeak {
            neverAccepted = List.copyOf(neverAccepted);
        }
    }

    /** Whether nothing is blamed on this check; {@link #otherTests()} does not count. */
    public boolean isEmpty() {
        return leaked.isEmpty() && acceptQueues.isEmpty() && abandoned.isEmpty();
    }
}
