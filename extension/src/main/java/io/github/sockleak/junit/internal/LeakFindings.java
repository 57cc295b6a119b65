package io.github.sockleak.junit.internal;

import io.github.sockleak.Listener;
import io.github.sockleak.TcpSocket;
import java.util.List;

/**
 * What a check found: sockets the test opened that are in a failing state, and listeners whose accept queue
 * holds connections the test opened. With origins, sockets that would have counted but that the agent saw
 * another test open are set apart in {@code otherTests}: they are that test's leaks, not this one's.
 */
public record LeakFindings(List<TcpSocket> leaked, List<AcceptQueueLeak> acceptQueues, List<TcpSocket> otherTests) {

    public LeakFindings {
        leaked = List.copyOf(leaked);
        acceptQueues = List.copyOf(acceptQueues);
        otherTests = List.copyOf(otherTests);
    }

    /**
     * A listener of this process that ends the test with connections never accepted, or with more ghosts than it
     * started with.
     */
    public record AcceptQueueLeak(Listener listener, List<TcpSocket> neverAccepted, int newGhosts) {

        public AcceptQueueLeak {
            neverAccepted = List.copyOf(neverAccepted);
        }
    }

    /** Whether nothing is blamed on this check; {@link #otherTests()} does not count. */
    public boolean isEmpty() {
        return leaked.isEmpty() && acceptQueues.isEmpty();
    }
}
