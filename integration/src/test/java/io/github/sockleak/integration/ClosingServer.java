package io.github.sockleak.integration;

import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback server that closes every connection from its side, so that a client that never closes its end is left
 * in CLOSE-WAIT: the leak the fixtures make. Started before a run, outside any checked test: its threads work for no
 * test, and the connections it accepts are closed within the run.
 */
final class ClosingServer implements AutoCloseable {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
            + "Connection: close\r\n\r\nok").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final boolean http;
    private final ExecutorService connections = Executors.newCachedThreadPool(task -> daemon(task, "closing-server-connection"));
    private final Thread acceptor;

    private ClosingServer(boolean http) {
        this.http = http;
        try {
            listener = new ServerSocket(0, 200, Loopback.IPV4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = daemon(this::acceptAll, "closing-server-acceptor");
        acceptor.start();
    }

    /** Answers one HTTP request on each connection with a 2-byte body and {@code Connection: close}, then closes. */
    static ClosingServer http() {
        return new ClosingServer(true);
    }

    /** Closes each connection as soon as it is accepted. */
    static ClosingServer tcp() {
        return new ClosingServer(false);
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket connection = listener.accept();
                if (http) {
                    connections.execute(() -> answerAndClose(connection));
                } else {
                    connection.close();
                }
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    private static void answerAndClose(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            // The request's headers end with an empty line; the fixtures send no body.
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            for (int b; matched < end.length && (b = in.read()) >= 0; ) {
                matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            }
            OutputStream out = connection.getOutputStream();
            out.write(RESPONSE);
            out.flush();
        } catch (SocketException e) {
            // the client went away first
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        connections.shutdownNow();
    }
}
