package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.error.ShouldNotHaveMoved.shouldNotHaveMoved;

import io.github.sockleak.TcpCounters;
import org.assertj.core.api.AbstractAssert;

/**
 * Checks on how the kernel's TCP counters moved between two readings: pass a change,
 * {@code Sockets.counters().since(before)}, not a single reading.
 *
 * <p>The counters belong to the network namespace, not to a process: another process in it moves them too, so
 * run such checks where nothing else overflows listeners (a container, a dedicated CI job).
 *
 * @param <SELF> the concrete assertion class, which every check returns
 */
public abstract class AbstractTcpCountersAssert<SELF extends AbstractTcpCountersAssert<SELF>> extends AbstractAssert<SELF, TcpCounters> {

    /**
     * For subclasses: an assertion on {@code actual}.
     *
     * @param actual the value to check
     * @param selfType the concrete assertion class
     */
    protected AbstractTcpCountersAssert(TcpCounters actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * No SYN or handshake-completing ACK arrived at a listener whose accept queue was full.
     *
     * @return this assertion, for more checks
     */
    public SELF hasNoListenOverflows() {
        return hasNotMoved(TcpCounters.LISTEN_OVERFLOWS);
    }

    /**
     * No listener dropped a handshake, for a full accept queue or any other reason (SYN queue full, no memory).
     *
     * @return this assertion, for more checks
     */
    public SELF hasNoListenDrops() {
        return hasNotMoved(TcpCounters.LISTEN_DROPS);
    }

    private SELF hasNotMoved(String counter) {
        isNotNull();
        if (actual.get(counter).orElse(0) != 0) {
            throwAssertionError(shouldNotHaveMoved(actual, counter));
        }
        return myself;
    }
}
