package io.github.sockleak.assertj.error;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A snapshot holds more, fewer, or other sockets in some states than expected. */
public final class ShouldHaveSocketsIn extends BasicErrorMessageFactory {

    private ShouldHaveSocketsIn(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A snapshot holds sockets in a state that should have none.
     *
     * @param scope which sockets were looked at, as words: "of this process"
     * @param found the sockets in scope that are in one of {@code states}
     * @param states the states looked for
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveNoSocketsIn(String scope, TcpState[] states, List<TcpSocket> found) {
        return new ShouldHaveSocketsIn("%nExpecting no sockets %s in %s, but found %s:%n%s",
                unquotedString(scope), unquotedString(KernelView.states(states)),
                found.size(), unquotedString(KernelView.table(found)));
    }

    /**
     * A snapshot holds more or fewer sockets in a state than expected.
     *
     * @param scope which sockets were looked at, as the message words it
     * @param state the state
     * @param expected the value expected
     * @param found the sockets found
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveSocketsIn(String scope, TcpState state, int expected, List<TcpSocket> found) {
        return new ShouldHaveSocketsIn("%nExpecting %s %s in %s, but found %s:%n%s",
                unquotedString(KernelView.sockets(expected)), unquotedString(scope), unquotedString(state.toString()),
                found.size(), unquotedString(KernelView.table(found)));
    }
}
