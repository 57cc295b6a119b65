package io.github.sockleak.integration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 server in a child JVM that keeps each connection open until the client closes it or asks
 * {@code Connection: close}: for clients whose I/O loop closes a connection as soon as the server does (Apache's async
 * client), a leaked connection stays ESTABLISHED. In its own process, so that its sockets are never this JVM's; ended
 * by its PID, and it ends itself when its parent closes its standard input.
 */
final class KeepAliveServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private KeepAliveServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server and waits for the port it listens on (it prints it). */
    static KeepAliveServer start() throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + "/bin/java";
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KeepAliveServer.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        // readLine returns when the child prints its port, or null when it dies.
        String line = out.readLine();
        if (line == null || !line.startsWith("port ")) {
            process.destroyForcibly();
            throw new IllegalStateException("the keep-alive server did not start: " + line);
        }
        return new KeepAliveServer(process, Integer.parseInt(line.substring("port ".length()).trim()));
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The child: serves until its standard input ends. */
    public static void main(String[] args) throws IOException {
        ServerSocket listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread parentWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent: read until the parent closes the pipe or dies
                }
            } catch (IOException ignored) {
                // the pipe broke: the parent is gone
            }
            System.exit(0);
        }, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();
        System.out.println("port " + listener.getLocalPort());
        System.out.flush();
        while (true) {
            Socket connection = listener.accept();
            Thread serving = new Thread(() -> serve(connection), "keep-alive-connection");
            serving.setDaemon(true);
            serving.start();
        }
    }

    private static void serve(Socket connection) {
        try (connection) {
            BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = connection.getOutputStream();
            for (String requestLine; (requestLine = in.readLine()) != null; ) {
                if (requestLine.isEmpty()) {
                    continue;
                }
                boolean close = false;
                for (String header; (header = in.readLine()) != null && !header.isEmpty(); ) {
                    close |= header.toLowerCase(Locale.ROOT).replace(" ", "").equals("connection:close");
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                        + (close ? "Connection: close\r\n" : "") + "\r\nok").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client reset the connection: nothing to serve
        }
    }
}
