package io.github.sockleak.internal.netlink;

import static io.github.sockleak.testing.NetlinkAvailability.assumeNetlinkExpected;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.internal.Polling;
import io.github.sockleak.internal.ProcfsSocketSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This process's socket descriptors read through the C library must be those {@code /proc/self/fd}'s links name.
 * Enough descriptors are held that the directory takes {@code getdents64} several calls.
 */
class OwnDescriptorsTest {

    /** About 24 bytes an entry: 300 sockets are more than one 8 KiB read of the directory. */
    private static final int SOCKETS = 300;

    private final List<AutoCloseable> held = new ArrayList<>();
    private Supplier<LibC> linked;

    @BeforeEach
    void holdDescriptors(@TempDir Path directory) throws IOException {
        assumeNetlinkExpected();
        linked = NetlinkSupport.linked(Runtime.version().feature());
        for (int i = 0; i < SOCKETS; i++) {
            held.add(SocketChannel.open()); // a TCP socket's descriptor, never connected
        }
        held.add(DatagramChannel.open());
        held.add(FileChannel.open(directory.resolve("not-a-socket"), StandardOpenOption.CREATE, StandardOpenOption.WRITE));
    }

    @AfterEach
    void closeDescriptors() throws Exception {
        for (AutoCloseable descriptor : held) {
            descriptor.close();
        }
    }

    @Test
    @DisplayName("getdents64 and statx find every socket descriptor /proc/self/fd's links name, and nothing else")
    void sameAsTheLinks() {
        try (LibC libc = linked.get()) {
            assertThat(libc.hasGetdents64())
                    .as("getdents64 callable here: glibc 2.30 or later, and with JNA an x86-64 or AArch64 JVM").isTrue();
            assertSameAsTheLinks(new OwnDescriptors(libc, ProcfsSocketSource.system()));
        }
    }

    @Test
    @DisplayName("without getdents64 (glibc before 2.30) the directory is listed by Java, with the same result")
    void sameWithoutGetdents64() {
        try (LibC libc = new ForwardingLibC(linked.get()) {
            @Override
            public boolean hasGetdents64() {
                return false;
            }

            @Override
            public long getdents64(int fd, ByteBuffer buffer) {
                throw new AssertionError("getdents64 called though the C library has none");
            }
        }) {
            assertSameAsTheLinks(new OwnDescriptors(libc, ProcfsSocketSource.system()));
        }
    }

    /** Another thread of this JVM may open or close a descriptor between the two reads: they must agree once. */
    private static void assertSameAsTheLinks(OwnDescriptors descriptors) {
        ProcfsSocketSource links = ProcfsSocketSource.system();
        Polling.Result<List<Map<Integer, Long>>> reads = Polling.until(
                () -> List.of(descriptors.sockets(), links.ownSocketDescriptors()),
                both -> both.get(0).equals(both.get(1)), Duration.ofSeconds(10));
        assertThat(reads.value().get(0)).as("read through the C library, against the links")
                .isEqualTo(reads.value().get(1))
                .hasSizeGreaterThan(SOCKETS);
    }
}
