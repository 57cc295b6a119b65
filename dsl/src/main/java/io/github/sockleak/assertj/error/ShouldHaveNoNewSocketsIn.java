package io.github.sockleak.assertj.error;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** Sockets in unwanted states appeared between two snapshots. */
public final class ShouldHaveNoNewSocketsIn extends BasicErrorMessageFactory {

    private ShouldHaveNoNewSocketsIn(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A diff shows new sockets in a state that should have none.
     *
     * @param opened the sockets in scope and in one of {@code states} that the later snapshot has and the earlier had not
     * @param scope which sockets were looked at, as the message words it
     * @param states the states looked for
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveNoNewSocketsIn(String scope, TcpState[] states, List<TcpSocket> opened) {
        return new ShouldHaveNoNewSocketsIn("%nExpecting no new sockets %s in %s between the snapshots, but %s appeared:%n%s",
                unquotedString(scope), unquotedString(KernelView.states(states)),
                opened.size(), unquotedString(KernelView.table(opened)));
    }
}
