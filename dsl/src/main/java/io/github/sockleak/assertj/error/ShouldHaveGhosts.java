package io.github.sockleak.assertj.error;

import io.github.sockleak.Listener;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A listener's accept queue counts more or fewer invisible entries (ghosts) than expected. */
public final class ShouldHaveGhosts extends BasicErrorMessageFactory {

    private ShouldHaveGhosts(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A listener counts more or fewer ghosts than expected.
     *
     * @param listener the listener
     * @param expected the value expected
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveGhosts(Listener listener, int expected) {
        return create(listener, KernelView.count(expected, "ghost"));
    }

    /**
     * A listener counts ghosts where none were expected.
     *
     * @param listener the listener
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveNoGhosts(Listener listener) {
        return create(listener, "no ghosts");
    }

    private static ErrorMessageFactory create(Listener listener, String expectation) {
        return new ShouldHaveGhosts("%nExpecting listener %s to have %s, but it has %s (accept-queue depth %s,"
                        + " %s in the table):%n%s%n%s",
                unquotedString(KernelView.address(listener)), unquotedString(expectation),
                listener.ghosts(),
                listener.acceptQueueDepth(),
                unquotedString(KernelView.count(listener.queued().size(), "queued connection")),
                unquotedString(KernelView.listener(listener)), unquotedString(KernelView.GHOSTS_EXPLAINED));
    }
}
