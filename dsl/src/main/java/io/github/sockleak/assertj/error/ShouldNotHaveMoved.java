package io.github.sockleak.assertj.error;

import io.github.sockleak.TcpCounters;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A kernel counter moved between two readings when it should not have. */
public final class ShouldNotHaveMoved extends BasicErrorMessageFactory {

    private ShouldNotHaveMoved(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A counter of the kernel moved where it should not have.
     *
     * @param change the counters' change between two readings; {@code counter} as the kernel names it
     * @param counter the counter's name as the kernel spells it
     * @return the message factory
     */
    public static ErrorMessageFactory shouldNotHaveMoved(TcpCounters change, String counter) {
        return new ShouldNotHaveMoved("%nExpecting no %s, but the counter moved by %s (counters that moved: %s).%n"
                        + "These counters are per network namespace, not per socket or process: another process in"
                        + " this namespace moves them too.",
                unquotedString(counter), unquotedString(String.valueOf(change.get(counter).orElse(0))),
                unquotedString(change.toString()));
    }
}
