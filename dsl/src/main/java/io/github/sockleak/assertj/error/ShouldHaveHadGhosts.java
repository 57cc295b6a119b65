package io.github.sockleak.assertj.error;

import io.github.sockleak.ListenerHistory;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A listener's recorded history shows ghosts where none were expected, or none where some were. */
public final class ShouldHaveHadGhosts extends BasicErrorMessageFactory {

    private ShouldHaveHadGhosts(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * The listener's accept queue counted ghosts during the recording.
     *
     * @param history the listener's history
     * @return the message factory
     */
    public static ErrorMessageFactory shouldNeverHaveHadGhosts(ListenerHistory history) {
        return create(history, "never to have had ghosts", "it had up to " + KernelView.count(history.maxGhosts(), "ghost"));
    }

    /**
     * The listener's accept queue never counted a ghost.
     *
     * @param history the listener's history
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveHadGhosts(ListenerHistory history) {
        return create(history, "to have had ghosts", "it never had one");
    }

    private static ErrorMessageFactory create(ListenerHistory history, String expectation, String actual) {
        return new ShouldHaveHadGhosts("%nExpecting listener %s %s, but %s:%n  %s%n%s",
                unquotedString(KernelView.address(history.socket().local())), unquotedString(expectation),
                unquotedString(actual), unquotedString(history.summary()), unquotedString(KernelView.GHOSTS_EXPLAINED));
    }
}
