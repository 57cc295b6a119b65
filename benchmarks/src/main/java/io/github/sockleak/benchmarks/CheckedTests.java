package io.github.sockleak.benchmarks;

import io.github.sockleak.junit.NoSocketLeaks;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The tests the per-test tables run through {@link TestRuns}: each kind with the leak check and without it, for
 * JUnit's own cost. A run is a batch of {@link #BATCH} tests; the tables alternate batches of the two.
 */
public final class CheckedTests {

    static final int BATCH = 25;

    private CheckedTests() {
    }

    @NoSocketLeaks
    public static class EmptyChecked {
        @RepeatedTest(BATCH)
        void nothing() {
        }
    }

    public static class EmptyUnchecked {
        @RepeatedTest(BATCH)
        void nothing() {
        }
    }

    /** A clean client and server exchanging a byte: what a small integration test does with sockets. */
    public abstract static class Exchange {
        @RepeatedTest(BATCH)
        void exchange() throws IOException {
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                 Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 Socket accepted = server.accept()) {
                client.getOutputStream().write(42);
                InputStream in = accepted.getInputStream();
                if (in.read() != 42) {
                    throw new AssertionError("lost the byte");
                }
            }
        }
    }

    @NoSocketLeaks
    public static class ExchangeChecked extends Exchange {
    }

    public static class ExchangeUnchecked extends Exchange {
    }

    /**
     * One test that leaks an accepted connection in CLOSE-WAIT (its client closed, it never), and so fails after the
     * whole settle time. The table closes what it left with {@link #closeLeft()} once the verdict is in.
     */
    @NoSocketLeaks
    public static class Leaking {
        private static final List<Socket> LEFT = new ArrayList<>();

        @RepeatedTest(1)
        void leavesCloseWait() throws IOException {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                Socket accepted = listener.accept();
                // Reset when the table closes it: no TIME-WAIT left to crowd the next measurement.
                accepted.setSoLinger(true, 0);
                LEFT.add(accepted);
            }
        }

        static void closeLeft() throws IOException {
            for (Socket socket : LEFT) {
                socket.close();
            }
            LEFT.clear();
        }
    }
}
