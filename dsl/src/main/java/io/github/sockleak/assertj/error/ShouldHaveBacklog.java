package io.github.sockleak.assertj.error;

import io.github.sockleak.Listener;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A listener's backlog (the most its accept queue holds) is not what was expected, or cannot be seen. */
public final class ShouldHaveBacklog extends BasicErrorMessageFactory {

    private ShouldHaveBacklog(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A listener's backlog is not the one expected, or unknown.
     *
     * @param listener the listener
     * @param expected the value expected
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveBacklog(Listener listener, int expected) {
        return create(listener, String.valueOf(expected));
    }

    /**
     * A listener's backlog is below the minimum, or unknown.
     *
     * @param listener the listener
     * @param minimum the smallest backlog allowed
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveBacklogAtLeast(Listener listener, int minimum) {
        return create(listener, "at least " + minimum);
    }

    private static ErrorMessageFactory create(Listener listener, String expectation) {
        if (listener.backlog().isEmpty()) {
            return new ShouldHaveBacklog("%nExpecting listener %s to have backlog %s, but %s%n%s",
                    unquotedString(KernelView.address(listener)), unquotedString(expectation),
                    unquotedString(KernelView.BACKLOG_UNKNOWN), unquotedString(KernelView.listener(listener)));
        }
        return new ShouldHaveBacklog("%nExpecting listener %s to have backlog %s, but it is %s:%n%s",
                unquotedString(KernelView.address(listener)), unquotedString(expectation),
                listener.backlog().getAsInt(), unquotedString(KernelView.listener(listener)));
    }
}
