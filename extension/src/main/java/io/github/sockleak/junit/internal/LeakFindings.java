package io.github.sockleak.junit.internal;

import io.github.sockleak.Listener;
import io.github.sockleak.TcpSocket;
import java.util.List;

/**
 * What a check found: sockets the test opened that are in a failing state, and listeners whose accept queue
 * holds connections the test opened.
 */
public record LeakFindings(List<TcpSocket> leaked, List<AcceptQueueLeak> acceptQueues) {

    public LeakFindings {
        leaked = List.copyOf(leaked);
        acceptQueues = List.copyOf(acceptQueues);
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

    public boolean isEmpty() {
        return leaked.isEmpty() && acceptQueues.isEmpty();
    }
}
