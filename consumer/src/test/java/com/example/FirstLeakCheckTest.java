package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sockleak.junit.NoSocketLeaks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

@NoSocketLeaks
class FirstLeakCheckTest {

    private static Socket forgotten;

    @Test
    void closesWhatItOpens() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            accepted.getOutputStream().write(42);
            assertEquals(42, client.getInputStream().read());
        }
    }

    @Test
    void leavesAConnectionInCloseWait() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            forgotten = new Socket(server.getInetAddress(), server.getLocalPort());
            server.accept().close();
        }
    }
}
