package io.github.sockleak.assertj.error;

import io.github.sockleak.Listener;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A listener has more or fewer visible connections waiting for {@code accept()} than expected. */
public final class ShouldHaveQueued extends BasicErrorMessageFactory {

    private ShouldHaveQueued(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A listener holds more or fewer queued connections than expected.
     *
     * @param listener the listener
     * @param expected the value expected
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveQueued(Listener listener, int expected) {
        return create(listener, KernelView.count(expected, "queued connection"));
    }

    /**
     * A listener holds connections nobody accepted.
     *
     * @param listener the listener
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveNoQueuedConnections(Listener listener) {
        return create(listener, "no queued connections");
    }

    private static ErrorMessageFactory create(Listener listener, String expectation) {
        return new ShouldHaveQueued("%nExpecting listener %s to have %s (never accepted, shown in the table), but it"
                        + " has %s:%n%s",
                unquotedString(KernelView.address(listener)), unquotedString(expectation),
                listener.queued().size(), unquotedString(KernelView.listener(listener)));
    }
}
