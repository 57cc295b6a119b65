package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.error.ShouldHaveAcceptQueueDepth.shouldHaveAcceptQueueDepth;
import static io.github.sockleak.assertj.error.ShouldHaveAcceptQueueDepth.shouldHaveAcceptQueueDepthAtMost;
import static io.github.sockleak.assertj.error.ShouldHaveBacklog.shouldHaveBacklog;
import static io.github.sockleak.assertj.error.ShouldHaveBacklog.shouldHaveBacklogAtLeast;
import static io.github.sockleak.assertj.error.ShouldHaveGhosts.shouldHaveGhosts;
import static io.github.sockleak.assertj.error.ShouldHaveGhosts.shouldHaveNoGhosts;
import static io.github.sockleak.assertj.error.ShouldHaveQueued.shouldHaveNoQueuedConnections;
import static io.github.sockleak.assertj.error.ShouldHaveQueued.shouldHaveQueued;
import static io.github.sockleak.assertj.error.ShouldNotBeOverflowing.shouldNotBeOverflowing;

import io.github.sockleak.Listener;
import java.util.OptionalInt;
import org.assertj.core.api.AbstractAssert;

/**
 * Checks on a listener's accept queue: its depth as the kernel counts it, the connections in it that the table
 * shows, the ghosts it counts but no table shows, and its backlog.
 *
 * <p>Backlog checks need a source that sees the backlog. The {@code /proc} source cannot, so on it
 * {@link #hasBacklog(int)}, {@link #hasBacklogAtLeast(int)} and {@link #isNotOverflowing()} fail and say so,
 * rather than pass without having checked anything.
 *
 * @param <SELF> the concrete assertion class, which every check returns
 */
public abstract class AbstractListenerAssert<SELF extends AbstractListenerAssert<SELF>> extends AbstractAssert<SELF, Listener> {

    /**
     * For subclasses: an assertion on {@code actual}.
     *
     * @param actual the value to check
     * @param selfType the concrete assertion class
     */
    protected AbstractListenerAssert(Listener actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * The accept queue holds exactly {@code expected} connections, ghosts included ({@code ss}'s Recv-Q).
     *
     * @param expected the value expected
     * @return this assertion, for more checks
     */
    public SELF hasAcceptQueueDepth(int expected) {
        isNotNull();
        if (actual.acceptQueueDepth() != expected) {
            throwAssertionError(shouldHaveAcceptQueueDepth(actual, expected));
        }
        return myself;
    }

    /**
     * The accept queue holds at most {@code limit} connections, ghosts included: the application keeps up.
     *
     * @param limit the largest depth allowed
     * @return this assertion, for more checks
     */
    public SELF hasAcceptQueueDepthAtMost(int limit) {
        isNotNull();
        if (actual.acceptQueueDepth() > limit) {
            throwAssertionError(shouldHaveAcceptQueueDepthAtMost(actual, limit));
        }
        return myself;
    }

    /**
     * Exactly {@code expected} connections wait for {@code accept()} and show in the table (ESTABLISHED or
     * CLOSE-WAIT children without a file descriptor); ghosts are not among them, see {@link #hasGhosts(int)}.
     *
     * @param expected the value expected
     * @return this assertion, for more checks
     */
    public SELF hasQueued(int expected) {
        isNotNull();
        if (actual.queued().size() != expected) {
            throwAssertionError(shouldHaveQueued(actual, expected));
        }
        return myself;
    }

    /**
     * No connection that the table shows waits for {@code accept()}. Ghosts are not counted here: to check that
     * nothing at all waits, use {@code hasAcceptQueueDepth(0)}.
     *
     * @return this assertion, for more checks
     */
    public SELF hasNoQueuedConnections() {
        isNotNull();
        if (!actual.queued().isEmpty()) {
            throwAssertionError(shouldHaveNoQueuedConnections(actual));
        }
        return myself;
    }

    /**
     * The accept queue counts exactly {@code expected} entries that no table shows: connections reset while they
     * waited (the port-reuse effect), which stay counted until the application calls {@code accept()}.
     *
     * @param expected the value expected
     * @return this assertion, for more checks
     */
    public SELF hasGhosts(int expected) {
        isNotNull();
        if (actual.ghosts() != expected) {
            throwAssertionError(shouldHaveGhosts(actual, expected));
        }
        return myself;
    }

    /**
     * The accept queue counts nothing the table does not show.
     *
     * @return this assertion, for more checks
     */
    public SELF hasNoGhosts() {
        isNotNull();
        if (actual.ghosts() != 0) {
            throwAssertionError(shouldHaveNoGhosts(actual));
        }
        return myself;
    }

    /**
     * The listener's backlog, the most its accept queue holds, is {@code expected}: {@code listen()}'s argument
     * clamped to {@code net.core.somaxconn}. Fails when the snapshot's source cannot see the backlog.
     *
     * @param expected the value expected
     * @return this assertion, for more checks
     */
    public SELF hasBacklog(int expected) {
        isNotNull();
        OptionalInt backlog = actual.backlog();
        if (backlog.isEmpty() || backlog.getAsInt() != expected) {
            throwAssertionError(shouldHaveBacklog(actual, expected));
        }
        return myself;
    }

    /**
     * The listener's backlog is at least {@code minimum}, as a server expecting bursts needs (a JVM default of 50
     * or a {@code somaxconn} clamp is the usual surprise). Fails when the snapshot's source cannot see the backlog.
     *
     * @param minimum the smallest backlog allowed
     * @return this assertion, for more checks
     */
    public SELF hasBacklogAtLeast(int minimum) {
        isNotNull();
        OptionalInt backlog = actual.backlog();
        if (backlog.isEmpty() || backlog.getAsInt() < minimum) {
            throwAssertionError(shouldHaveBacklogAtLeast(actual, minimum));
        }
        return myself;
    }

    /**
     * The accept queue is not above the backlog, so the kernel is not dropping handshakes. Fails when the backlog
     * cannot be seen: an overflow check that cannot see the limit has not checked anything.
     *
     * @return this assertion, for more checks
     */
    public SELF isNotOverflowing() {
        isNotNull();
        if (actual.backlog().isEmpty() || actual.isOverflowing()) {
            throwAssertionError(shouldNotBeOverflowing(actual));
        }
        return myself;
    }
}
