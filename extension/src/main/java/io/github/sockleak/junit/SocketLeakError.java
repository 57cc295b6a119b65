package io.github.sockleak.junit;

import io.github.sockleak.Listener;
import io.github.sockleak.TcpSocket;
import java.util.List;

/**
 * A test left TCP sockets behind. The message lists them the way {@code ss} does, with the test, the settle time
 * and the state of any accept queue involved; the same findings are here as values, for a tool that reads them
 * without parsing the text.
 */
public class SocketLeakError extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final transient List<TcpSocket> leakedSockets;
    private final transient List<Listener> leakingListeners;
    /** Kept as a value, unlike the sockets, since an int survives serialisation. */
    private final int collectedUnclosed;

    /**
     * A check that could not run, or found nothing it can give as values.
     *
     * @param message the report
     */
    public SocketLeakError(String message) {
        this(message, List.of(), List.of(), 0);
    }

    /**
     * A leak, with its findings as values.
     *
     * @param message           the report
     * @param leakedSockets     the kernel's rows of the sockets the test leaked
     * @param leakingListeners  listeners whose accept queue the test left connections (or new ghosts) in
     * @param collectedUnclosed how many of the test's sockets the garbage collector closed, never the application
     */
    public SocketLeakError(String message, List<TcpSocket> leakedSockets, List<Listener> leakingListeners, int collectedUnclosed) {
        super(message);
        this.leakedSockets = List.copyOf(leakedSockets);
        this.leakingListeners = List.copyOf(leakingListeners);
        this.collectedUnclosed = collectedUnclosed;
    }

    /**
     * The kernel's rows of the sockets the test leaked, as the last probe saw them; empty after deserialisation.
     *
     * @return the sockets, immutable
     */
    public List<TcpSocket> leakedSockets() {
        return leakedSockets == null ? List.of() : leakedSockets;
    }

    /**
     * Listeners whose accept queue the test left connections or new ghosts in; empty after deserialisation.
     *
     * @return the listeners, immutable
     */
    public List<Listener> leakingListeners() {
        return leakingListeners == null ? List.of() : leakingListeners;
    }

    /**
     * How many of the test's sockets the garbage collector closed because the application never did (agent only).
     *
     * @return the count
     */
    public int collectedUnclosed() {
        return collectedUnclosed;
    }
}
