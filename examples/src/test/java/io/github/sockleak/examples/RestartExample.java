package io.github.sockleak.examples;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.Sockets;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A server stopped and started again on the same port, as a rolling restart does. */
@DisplayName("A server restarted on the same port")
class RestartExample {

    @Test
    @DisplayName("a clean stop frees the port, and the new server binds it")
    void cleanRestart() throws IOException {
        EchoServer first = EchoServer.start();
        int port = first.port();
        first.exchangeOneByte();
        first.close();

        // The handler thread closes its end when it sees the client's EOF: give it a moment.
        eventually(Duration.ofSeconds(2), snapshot -> assertThat(snapshot).port(port).isFree());
        assertThat(Sockets.snapshot()).port(port).isBindable();

        try (EchoServer second = EchoServer.start(port)) {
            second.exchangeOneByte();
        }
    }

    @Test
    @DisplayName("a connection left in CLOSE-WAIT still holds the port, yet SO_REUSEADDR lets a restart bind it")
    void leakedConnectionHoldsThePort() throws IOException {
        EchoServer leaky = EchoServer.startForgettingToClose();
        int port = leaky.port();
        leaky.exchangeOneByte();
        leaky.close();

        // The handler returned without closing: its end of the connection stays bound to the port.
        assertThatThrownBy(() -> eventually(Duration.ofMillis(300), snapshot -> assertThat(snapshot).port(port).isFree()))
                .satisfies(failure -> System.out.println("== what isFree() says after a leaky stop ==" + failure.getMessage()
                        + System.lineSeparator()));
        // The JDK's ServerSocket sets SO_REUSEADDR, and the leaked child inherited it: the restart still binds.
        assertThat(Sockets.snapshot()).port(port).isBindable();
        leaky.closeLeftovers();
    }
}
