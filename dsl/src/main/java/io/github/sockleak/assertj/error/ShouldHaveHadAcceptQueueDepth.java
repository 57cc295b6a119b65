package io.github.sockleak.assertj.error;

import io.github.sockleak.ListenerHistory;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A listener's recorded accept queue grew deeper than allowed. */
public final class ShouldHaveHadAcceptQueueDepth extends BasicErrorMessageFactory {

    private ShouldHaveHadAcceptQueueDepth(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * The listener's accept queue was deeper than {@code limit} at some sample.
     *
     * @param history the listener's history
     * @param limit   the greatest depth allowed
     * @return the message factory
     */
    public static ErrorMessageFactory shouldNeverHaveHadAcceptQueueDepthAbove(ListenerHistory history, int limit) {
        return new ShouldHaveHadAcceptQueueDepth("%nExpecting listener %s never to have had an accept queue deeper than %s,"
                        + " but it reached %s (ghosts included, as the samples saw it):%n  %s",
                unquotedString(KernelView.address(history.socket().local())), limit, history.maxDepth(),
                unquotedString(history.summary()));
    }
}
