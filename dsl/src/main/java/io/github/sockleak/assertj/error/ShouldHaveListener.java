package io.github.sockleak.assertj.error;

import io.github.sockleak.Listener;
import io.github.sockleak.TcpSocket;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** No listener of this process (or, looking at other processes too, of any process) is on the port an assertion navigated to. */
public final class ShouldHaveListener extends BasicErrorMessageFactory {

    /** A namespace can have hundreds of listeners: the message names the first few. */
    private static final int LISTED = 20;

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
                        + KernelView.table(othersListening) + System.lineSeparator()
                        + "To check another process's listener, look with includingOtherProcesses().listener(" + port + ").";
        return new ShouldHaveListener("%nExpecting a listener of this process on port %s, but there is none.%n%s%s",
                port, unquotedString(own), unquotedString(others));
    }

    /**
     * The failure of {@code includingOtherProcesses().listener(port)}: no process of the network namespace listens on
     * the port.
     *
     * @param port      the local port
     * @param listeners every listener of the network namespace, to show which ports are listened on
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveListenerInNamespace(int port, List<Listener> listeners) {
        String listening = listeners.isEmpty()
                ? "No process of the network namespace listens."
                : "Listening in the network namespace: "
                        + listeners.stream().map(KernelView::address).distinct().limit(LISTED)
                                .collect(Collectors.joining(", "))
                        + (listeners.size() > LISTED ? ", ..." : "") + ".";
        return new ShouldHaveListener("%nExpecting a listener of any process on port %s, but there is none.%n%s",
                port, unquotedString(listening));
    }
}
