package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.error.ShouldHaveHadAcceptQueueDepth.shouldNeverHaveHadAcceptQueueDepthAbove;
import static io.github.sockleak.assertj.error.ShouldHaveHadGhosts.shouldHaveHadGhosts;
import static io.github.sockleak.assertj.error.ShouldHaveHadGhosts.shouldNeverHaveHadGhosts;

import io.github.sockleak.ListenerHistory;
import org.assertj.core.api.AbstractAssert;

/**
 * Checks on one listener's recorded accept queue: its depth and its ghosts over the whole recording, as the samples
 * saw them (a queue that grew and drained between two samples is not seen).
 *
 * @param <SELF> the concrete assertion class, which every check returns
 */
public abstract class AbstractListenerHistoryAssert<SELF extends AbstractListenerHistoryAssert<SELF>>
        extends AbstractAssert<SELF, ListenerHistory> {

    /**
     * For subclasses: an assertion on {@code actual}.
     *
     * @param actual   the value to check
     * @param selfType the concrete assertion class
     */
    protected AbstractListenerHistoryAssert(ListenerHistory actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * No sample saw the accept queue count a connection that no table shows.
     *
     * @return this assertion, for more checks
     */
    public SELF neverHadGhosts() {
        isNotNull();
        if (actual.maxGhosts() > 0) {
            throwAssertionError(shouldNeverHaveHadGhosts(actual));
        }
        return myself;
    }

    /**
     * Some sample saw the accept queue count a connection that no table shows: a queued connection was reset.
     *
     * @return this assertion, for more checks
     */
    public SELF hadGhosts() {
        isNotNull();
        if (actual.maxGhosts() == 0) {
            throwAssertionError(shouldHaveHadGhosts(actual));
        }
        return myself;
    }

    /**
     * No sample saw the accept queue hold more than {@code limit} connections, ghosts included: the application kept
     * up with its clients.
     *
     * @param limit the greatest depth allowed
     * @return this assertion, for more checks
     */
    public SELF neverHadAcceptQueueDepthAbove(int limit) {
        isNotNull();
        if (actual.maxDepth() > limit) {
            throwAssertionError(shouldNeverHaveHadAcceptQueueDepthAbove(actual, limit));
        }
        return myself;
    }
}
