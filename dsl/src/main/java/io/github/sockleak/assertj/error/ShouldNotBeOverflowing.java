package io.github.sockleak.assertj.error;

import io.github.sockleak.Listener;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A listener's accept queue holds more than its backlog, or nobody can tell whether it does. */
public final class ShouldNotBeOverflowing extends BasicErrorMessageFactory {

    private ShouldNotBeOverflowing(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A listener's accept queue is full.
     *
     * @param listener the listener
     * @return the message factory
     */
    public static ErrorMessageFactory shouldNotBeOverflowing(Listener listener) {
        if (listener.backlog().isEmpty()) {
            return new ShouldNotBeOverflowing("%nExpecting listener %s not to overflow its accept queue, but whether it"
                            + " does cannot be told: %s%n%s",
                    unquotedString(KernelView.address(listener)), unquotedString(KernelView.BACKLOG_UNKNOWN),
                    unquotedString(KernelView.listener(listener)));
        }
        return new ShouldNotBeOverflowing("%nExpecting listener %s not to overflow its accept queue, but its depth %s is"
                        + " above its backlog %s: the kernel drops new handshakes (TcpExt ListenOverflows) until"
                        + " the application calls accept().%n%s",
                unquotedString(KernelView.address(listener)), listener.acceptQueueDepth(),
                listener.backlog().getAsInt(), unquotedString(KernelView.listener(listener)));
    }
}
