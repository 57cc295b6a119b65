package io.github.sockleak.assertj.error;

import io.github.sockleak.Listener;
import io.github.sockleak.TcpSocket;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** No listener of this process is on the port an assertion navigated to. */
public final class ShouldHaveListener extends BasicErrorMessageFactory {

    private ShouldHaveListener(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * This process has no listener on a port.
     *
     * @param listeners       this process's listeners, to show which ports it does listen on
     * @param othersListening LISTEN sockets of other processes on {@code port}: a common mix-up in tests
     * @param port the local port
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveListener(int port, List<Listener> listeners, List<TcpSocket> othersListening) {
        String own = listeners.isEmpty()
                ? "This process has no listening socket."
                : "This process listens on: "
                        + listeners.stream().map(KernelView::address).collect(Collectors.joining(", ")) + ".";
        String others = othersListening.isEmpty()
                ? ""
                : System.lineSeparator() + "Another process listens on port " + port + ":" + System.lineSeparator()
                        + KernelView.table(othersListening);
        return new ShouldHaveListener("%nExpecting a listener of this process on port %s, but there is none.%n%s%s",
                port, unquotedString(own), unquotedString(others));
    }
}
