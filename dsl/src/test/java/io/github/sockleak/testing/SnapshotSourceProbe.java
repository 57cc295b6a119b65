package io.github.sockleak.testing;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;

/** Run in a child JVM by the tests: takes one automatic snapshot and prints which source it used and why. */
public final class SnapshotSourceProbe {

    private SnapshotSourceProbe() {
    }

    public static void main(String[] args) {
        SocketSnapshot snapshot = Sockets.snapshot();
        System.out.println("source=" + snapshot.source());
        System.out.println("reason=" + snapshot.sourceReason());
    }
}
