package io.github.sockleak.assertj.error;

import io.github.sockleak.Listener;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A listener's accept queue is deeper or shallower than expected. */
public final class ShouldHaveAcceptQueueDepth extends BasicErrorMessageFactory {

    private ShouldHaveAcceptQueueDepth(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A listener's accept-queue depth is not the one expected.
     *
     * @param listener the listener
     * @param expected the value expected
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveAcceptQueueDepth(Listener listener, int expected) {
        return create(listener, String.valueOf(expected));
    }

    /**
     * A listener's accept queue is deeper than its limit.
     *
     * @param listener the listener
     * @param limit the largest depth allowed
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveAcceptQueueDepthAtMost(Listener listener, int limit) {
        return create(listener, "at most " + limit);
    }

    private static ErrorMessageFactory create(Listener listener, String expectation) {
        // Ghosts are the usual surprise behind a depth that does not match the rows: say so when there are some.
        String ghosts = listener.ghosts() == 0 ? "" : System.lineSeparator() + KernelView.GHOSTS_EXPLAINED;
        return new ShouldHaveAcceptQueueDepth("%nExpecting listener %s to have accept-queue depth %s, but it is %s:%n%s%s",
                unquotedString(KernelView.address(listener)), unquotedString(expectation),
                listener.acceptQueueDepth(),
                unquotedString(KernelView.listener(listener)), unquotedString(ghosts));
    }
}
