package io.github.sockleak.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.testing.FakeProc;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ProcfsSocketSource on a fake proc root")
class ProcfsSocketSourceTest {

    /** The socket inodes in {@code self-fd.txt}; its other links are {@code /dev/null} and pipes. */
    private static final Long[] CAPTURED_OWN_INODES = {
        55920L, 55922L, 55925L, 55926L, 55927L, 55930L, 55931L, 55932L, 55933L, 55934L, 55935L,
        55936L, 55937L, 55938L, 55939L, 55940L, 55941L, 55942L, 55943L, 55944L, 55948L};

    @TempDir
    Path root;
    private FakeProc proc;

    @BeforeEach
    void fakeProc() {
        proc = new FakeProc(root);
    }

    @AfterEach
    void removeLinks() {
        proc.close();
    }

    @Test
    @DisplayName("finds this process's socket inodes among its descriptors, ignoring files and pipes")
    void ownInodes() {
        proc.allCaptured();

        assertThat(new ProcfsSocketSource(root).ownSocketInodes()).containsExactlyInAnyOrder(CAPTURED_OWN_INODES);
    }

    @Test
    @DisplayName("ignores descriptor entries that are not socket:[N] links")
    void oddDescriptors() throws IOException {
        proc.fd(3, "socket:[42]")
                .fd(4, "socket:[abc]")
                .fd(5, "socket:[]")
                .fd(6, "anon_inode:[eventpoll]")
                .fd(7, "/tmp/socket:[43]")
                .fd(8, "socket:[44");
        Files.writeString(proc.root().resolve("self/fd/9"), "socket:[45]");

        assertThat(new ProcfsSocketSource(root).ownSocketInodes()).containsExactly(42L);
    }

    @Test
    @DisplayName("reads both tables and this process's inodes")
    void readsBoth() {
        proc.allCaptured();

        SocketTable table = new ProcfsSocketSource(root).read();

        assertThat(table.skipped()).isEmpty();
        assertThat(table.rows()).hasSize(21 + 11);
        assertThat(table.rows()).filteredOn(r -> r.family() == StandardProtocolFamily.INET).hasSize(21);
        assertThat(table.rows()).filteredOn(r -> r.family() == StandardProtocolFamily.INET6).hasSize(11);
        assertThat(table.ownInodes()).containsExactlyInAnyOrder(CAPTURED_OWN_INODES);
        assertThat(new ProcfsSocketSource(root).isAvailable()).isTrue();
    }

    @Test
    @DisplayName("keeps one row of a socket the kernel printed twice while sockets came and went")
    void repeatedRows() {
        String captured = FakeProc.capturedText("net/tcp");
        String firstRow = captured.lines().skip(1).findFirst().orElseThrow() + "\n";
        proc.tcp((captured + firstRow + firstRow).getBytes(java.nio.charset.StandardCharsets.US_ASCII)).capturedFds();

        SocketTable table = new ProcfsSocketSource(root).read();

        assertThat(table.rows()).hasSize(21).doesNotHaveDuplicates();
        assertThat(table.skipped()).isEmpty();
    }

    @Test
    @DisplayName("takes a missing tcp6 as a kernel without IPv6")
    void noTcp6() {
        proc.tcp(FakeProc.captured("net/tcp")).capturedFds();

        SocketTable table = new ProcfsSocketSource(root).read();

        assertThat(table.rows()).hasSize(21).allSatisfy(r -> assertThat(r.family()).isEqualTo(StandardProtocolFamily.INET));
        assertThat(table.skipped()).isEmpty();
    }

    @Test
    @DisplayName("fails on a missing tcp, saying which file and that this needs Linux procfs")
    void noTcp() {
        proc.tcp6(FakeProc.captured("net/tcp6")).capturedFds();
        ProcfsSocketSource source = new ProcfsSocketSource(root);

        assertThat(source.isAvailable()).isFalse();
        assertThatThrownBy(source::read)
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessageStartingWith(root.resolve("net/tcp") + " does not exist")
                .hasMessageContaining("procfs, which only Linux has");
    }

    @Test
    @DisplayName("blames the missing net/tcp, not self/fd, when there is no procfs at all")
    void noProcfs() {
        Path noProc = root.resolve("proc");

        assertThatThrownBy(() -> new ProcfsSocketSource(noProc).read())
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessageContaining("proc/net/tcp does not exist");
    }

    @Test
    @DisplayName("fails clearly when self/fd cannot be listed")
    void noSelfFd() {
        proc.tcp(FakeProc.captured("net/tcp"));

        assertThatThrownBy(() -> new ProcfsSocketSource(root).read())
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessageStartingWith("cannot list " + root.resolve("self/fd") + " to find this process's sockets");
    }

    @Test
    @DisplayName("fails clearly when tcp cannot be read")
    void unreadableTcp() throws IOException {
        Files.createDirectories(root.resolve("net/tcp"));
        proc.capturedFds();

        assertThatThrownBy(() -> new ProcfsSocketSource(root).read())
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessageStartingWith("cannot read " + root.resolve("net/tcp"));
    }

    @Test
    @DisplayName("rejects an empty tcp6, naming it")
    void emptyTcp6() {
        proc.tcp(FakeProc.captured("net/tcp")).tcp6(new byte[0]).capturedFds();

        assertThatThrownBy(() -> new ProcfsSocketSource(root).read())
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessageStartingWith(root.resolve("net/tcp6") + " is empty");
    }

    @Test
    @DisplayName("keeps the other rows when one is malformed, and says where the bad one was")
    void malformedRow() {
        String tcp = FakeProc.capturedText("net/tcp").replace(" 0100007F:911A 06 ", " 0100007F:911A 1F ");
        proc.tcp(tcp.getBytes(US_ASCII)).tcp6(FakeProc.captured("net/tcp6")).capturedFds();

        SocketTable table = new ProcfsSocketSource(root).read();

        assertThat(table.rows()).hasSize(20 + 11);
        assertThat(table.skipped()).singleElement().asString()
                .startsWith(root.resolve("net/tcp") + " line 21: unknown state 0x1F: '25: 0100007F:B647 0100007F:911A 1F ");
    }
}
