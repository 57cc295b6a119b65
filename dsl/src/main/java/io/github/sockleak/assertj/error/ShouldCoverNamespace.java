package io.github.sockleak.assertj.error;

import io.github.sockleak.SocketSnapshot;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * An assertion about other processes' sockets was asked of a snapshot that holds this process's sockets only: its
 * silence about them would prove nothing.
 */
public final class ShouldCoverNamespace extends BasicErrorMessageFactory {

    private ShouldCoverNamespace(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A check about other processes was asked of a snapshot that holds only this process's sockets.
     *
     * @param partial the snapshot of this process's sockets
     * @return the message factory
     */
    public static ErrorMessageFactory shouldCoverNamespace(SocketSnapshot partial) {
        return new ShouldCoverNamespace("%nExpecting a snapshot of every socket in the network namespace to look at other"
                        + " processes' sockets, but this one holds this process's sockets only (coverage %s: %s).%n"
                        + "Take one with Sockets.snapshot() for that.",
                partial.coverage(), unquotedString(partial.sourceReason()));
    }
}
