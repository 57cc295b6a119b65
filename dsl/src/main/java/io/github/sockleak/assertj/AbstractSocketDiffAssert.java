package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.error.ShouldCoverNamespace.shouldCoverNamespace;
import static io.github.sockleak.assertj.error.ShouldHaveNoNewSocketsIn.shouldHaveNoNewSocketsIn;
import static io.github.sockleak.assertj.error.ShouldHaveOpened.shouldHaveOpened;
import static io.github.sockleak.assertj.error.ShouldHavePortReuse.shouldHaveNoPortReuse;
import static io.github.sockleak.assertj.error.ShouldHavePortReuse.shouldHavePortReuse;

import io.github.sockleak.SnapshotCoverage;
import io.github.sockleak.SocketDiff;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Checks on what changed between two snapshots ({@code after.since(before)}): the sockets opened, and the
 * 4-tuples whose socket was replaced by a new one (port reuse).
 *
 * <p>Like the snapshot checks, these look at this process's sockets unless {@link #includingOtherProcesses()}
 * widens them.
 *
 * @param <SELF> the concrete assertion class, which every check returns
 */
public abstract class AbstractSocketDiffAssert<SELF extends AbstractSocketDiffAssert<SELF>> extends AbstractAssert<SELF, SocketDiff> {

    private Scope scope = Scope.THIS_PROCESS;

    /**
     * For subclasses: an assertion on {@code actual}.
     *
     * @param actual the value to check
     * @param selfType the concrete assertion class
     */
    protected AbstractSocketDiffAssert(SocketDiff actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * Makes the checks after this one look at every socket of the network namespace, whoever holds it. Fails when
     * either snapshot holds this process's sockets alone ({@link SnapshotCoverage#PROCESS}).
     *
     * @return this assertion, for more checks
     */
    public SELF includingOtherProcesses() {
        if (actual != null) {
            for (SocketSnapshot snapshot : List.of(actual.before(), actual.after())) {
                if (snapshot.coverage() != SnapshotCoverage.NAMESPACE) {
                    throwAssertionError(shouldCoverNamespace(snapshot));
                }
            }
        }
        scope = Scope.NAMESPACE;
        return myself;
    }

    /**
     * No socket in any of {@code states} appeared between the snapshots: the code under test leaked none.
     *
     * @param states the states looked for
     * @return this assertion, for more checks
     */
    public SELF hasNoNewSocketsIn(TcpState... states) {
        StateFilter inStates = StateFilter.of(states);
        isNotNull();
        List<TcpSocket> opened = opened().stream().filter(inStates).collect(Collectors.toUnmodifiableList());
        if (!opened.isEmpty()) {
            throwAssertionError(shouldHaveNoNewSocketsIn(scope.toString(), states, opened));
        }
        return myself;
    }

    /**
     * Exactly {@code expected} sockets appeared between the snapshots, in any state, replacements included.
     *
     * @param expected the value expected
     * @return this assertion, for more checks
     */
    public SELF hasOpened(int expected) {
        isNotNull();
        List<TcpSocket> opened = opened();
        if (opened.size() != expected) {
            throwAssertionError(shouldHaveOpened(scope.toString(), expected, opened));
        }
        return myself;
    }

    /**
     * No 4-tuple got a new socket between the snapshots.
     *
     * @return this assertion, for more checks
     */
    public SELF hasNoPortReuse() {
        isNotNull();
        List<SocketDiff.Reuse> reused = reused();
        if (!reused.isEmpty()) {
            throwAssertionError(shouldHaveNoPortReuse(scope.toString(), reused));
        }
        return myself;
    }

    /**
     * Some 4-tuple got a new socket between the snapshots: the seed case, a client reusing the port of a
     * connection that waited in CLOSE-WAIT in an accept queue.
     *
     * @return this assertion, for more checks
     */
    public SELF hasPortReuse() {
        isNotNull();
        if (reused().isEmpty()) {
            throwAssertionError(shouldHavePortReuse(scope.toString()));
        }
        return myself;
    }

    private List<TcpSocket> opened() {
        return actual.opened().stream().filter(scope::includes).collect(Collectors.toUnmodifiableList());
    }

    /** A reuse is in scope when the socket replaced or the one replacing it is. */
    private List<SocketDiff.Reuse> reused() {
        return actual.reused().stream()
                .filter(reuse -> scope.includes(reuse.before()) || scope.includes(reuse.after()))
                .collect(Collectors.toUnmodifiableList());
    }
}
