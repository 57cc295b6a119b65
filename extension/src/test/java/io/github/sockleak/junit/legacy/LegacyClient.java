package io.github.sockleak.junit.legacy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/** Stands for a library a team cannot fix: it connects, and the caller's code never closes what it got. */
public final class LegacyClient {

    private LegacyClient() {
    }

    public static Socket connect(InetAddress address, int port) throws IOException {
        return new Socket(address, port);
    }
}
