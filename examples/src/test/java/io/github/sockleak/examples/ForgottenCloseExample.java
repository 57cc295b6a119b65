package io.github.sockleak.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.junit.NoSocketLeaks;
import io.github.sockleak.junit.SocketLeakError;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A server that does not close a connection after the client hangs up, caught by {@code @NoSocketLeaks}. */
@DisplayName("A server that forgets to close: CLOSE-WAIT caught by @NoSocketLeaks")
class ForgottenCloseExample {

    @Test
    @DisplayName("the leaky server fails its test with an ss-like report")
    void leakyServerFails() {
        List<Throwable> failures = Demonstrations.failuresOf(LeakyServerTest.class);

        assertThat(failures).singleElement()
                .isInstanceOf(SocketLeakError.class)
                .satisfies(leak -> assertThat(leak.getMessage())
                        .contains("LeakyServerTest.echoesOneLine()")
                        .contains("leaked 1 socket in CLOSE-WAIT")
                        .contains("THIS_PROCESS"));
    }

    @Test
    @DisplayName("the fixed server passes")
    void fixedServerPasses() {
        assertThat(Demonstrations.failuresOf(FixedServerTest.class)).isEmpty();
    }

    @AfterAll
    static void closeTheDemonstratedLeak() throws IOException {
        LeakyServerTest.server.closeLeftovers();
    }

    /** What a user's integration test looks like: nothing about sockets in it but the annotation. */
    @NoSocketLeaks
    static class LeakyServerTest {
        static EchoServer server;

        @Test
        void echoesOneLine() throws IOException {
            server = EchoServer.startForgettingToClose();
            try (Socket client = new Socket(server.address().getAddress(), server.port())) {
                client.getOutputStream().write('x');
                assertThat(client.getInputStream().read()).isEqualTo('x');
            }
            server.close(); // the listener is closed, the handler's connection is not
        }
    }

    @NoSocketLeaks
    static class FixedServerTest {
        @Test
        void echoesOneLine() throws IOException {
            try (EchoServer server = EchoServer.start();
                 Socket client = new Socket(server.address().getAddress(), server.port())) {
                client.getOutputStream().write('x');
                assertThat(client.getInputStream().read()).isEqualTo('x');
            }
        }
    }
}
