package io.github.sockleak.assertj.error;

import io.github.sockleak.SocketDiff;
import io.github.sockleak.internal.SsTable;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A 4-tuple got a new socket between two snapshots when none should have, or none did when one should have. */
public final class ShouldHavePortReuse extends BasicErrorMessageFactory {

    private static final String REUSE_EXPLAINED = "A reused 4-tuple is a socket closed and a new one opened on the same"
            + " local and remote address and port, as when a client binds the port of a connection that still waits"
            + " in CLOSE-WAIT in an accept queue: the old connection is reset and can stay counted as a ghost.";

    private ShouldHavePortReuse(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A diff shows no 4-tuple whose socket was replaced.
     *
     * @param scope which sockets were looked at, as the message words it
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHavePortReuse(String scope) {
        return new ShouldHavePortReuse("%nExpecting a port of a socket %s to be reused between the snapshots, but none was.%n%s",
                unquotedString(scope), unquotedString(REUSE_EXPLAINED));
    }

    /**
     * A diff shows 4-tuples whose socket was replaced.
     *
     * @param scope which sockets were looked at, as the message words it
     * @param reused the reused 4-tuples
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveNoPortReuse(String scope, List<SocketDiff.Reuse> reused) {
        // The state the replaced socket was in, then the new socket's row under the ss header.
        String rows = reused.stream()
                .map(reuse -> String.format("%-10s -> %s", reuse.before().state(), reuse.after()))
                .collect(Collectors.joining(System.lineSeparator()));
        return new ShouldHavePortReuse("%nExpecting no port of a socket %s to be reused between the snapshots, but %s"
                        + " 4-tuples got a new socket:%n%s%n%s%n%s",
                unquotedString(scope), reused.size(),
                unquotedString(String.format("%-10s -> %s", "Before", SsTable.HEADER)), unquotedString(rows),
                unquotedString(REUSE_EXPLAINED));
    }
}
