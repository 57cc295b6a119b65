package io.github.sockleak.assertj;

import io.github.sockleak.TcpSocket;

/**
 * Whose sockets an assertion looks at. This process's by default: other processes of the namespace come and go
 * while a test runs (other builds, the IDE, databases), and a test should only fail for what it controls.
 */
enum Scope {
    THIS_PROCESS("of this process"),
    NAMESPACE("in this network namespace");

    private final String words;

    Scope(String words) {
        this.words = words;
    }

    boolean includes(TcpSocket socket) {
        return this == NAMESPACE || socket.isOwn();
    }

    /** How messages name the sockets looked at: "of this process". */
    @Override
    public String toString() {
        return words;
    }
}
