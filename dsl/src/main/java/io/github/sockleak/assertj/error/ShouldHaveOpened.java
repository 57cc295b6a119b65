package io.github.sockleak.assertj.error;

import io.github.sockleak.TcpSocket;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** More or fewer sockets were opened between two snapshots than expected. */
public final class ShouldHaveOpened extends BasicErrorMessageFactory {

    private ShouldHaveOpened(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * A diff opened more or fewer sockets than expected.
     *
     * @param scope which sockets were looked at, as the message words it
     * @param expected the value expected
     * @param opened the sockets the diff opened
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveOpened(String scope, int expected, List<TcpSocket> opened) {
        return new ShouldHaveOpened("%nExpecting %s %s to be opened between the snapshots, but the kernel shows %s:%n%s",
                unquotedString(KernelView.sockets(expected)), unquotedString(scope),
                opened.size(), unquotedString(KernelView.table(opened)));
    }
}
