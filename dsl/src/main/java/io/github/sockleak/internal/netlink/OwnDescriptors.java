package io.github.sockleak.internal.netlink;

import io.github.sockleak.internal.ProcfsSocketSource;
import java.io.File;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * This process's socket descriptors and their inodes, as {@link ProcfsSocketSource#ownSocketDescriptors()} finds
 * them, for about a third of the cost: each descriptor listed in {@code /proc/self/fd} is asked with {@code statx} on
 * the descriptor itself, one system call and no path to resolve, where reading each link resolves a path in
 * procfs and builds a string to parse. Every check and snapshot reads the descriptors once or twice, so this is
 * a good part of a per-test check.
 *
 * <p>Without {@code statx} (a C library older than glibc 2.28, a kernel older than 4.11, a seccomp filter that
 * refuses it) the links are read as before.
 */
final class OwnDescriptors {

    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_INO = 0x100;
    /** {@code struct statx}: {@code u32 stx_mask} at 0, {@code u16 stx_mode} at 28, {@code u64 stx_ino} at 32. */
    private static final int STATX_BYTES = 256;
    private static final int S_IFMT = 0xF000;
    private static final int S_IFSOCK = 0xC000;

    /** Set once this JVM's {@code statx} has failed for another reason than a closed descriptor. */
    private static volatile boolean statxRefused;

    private final LibC libc;
    private final ProcfsSocketSource procfs;
    /** {@code ""}: its NUL terminator, zeroed by the allocation. */
    private final ByteBuffer emptyPath;
    private final ByteBuffer result;

    OwnDescriptors(LibC libc, ProcfsSocketSource procfs) {
        this.libc = libc;
        this.procfs = procfs;
        this.emptyPath = libc.allocate(1);
        this.result = libc.allocate(STATX_BYTES);
    }

    /** Each descriptor of this process that holds a socket of any kind, with the socket's inode. */
    Map<Integer, Long> sockets() {
        String[] names = statxRefused || !libc.hasStatx() ? null : new File("/proc/self/fd").list();
        if (names == null) {
            return procfs.ownSocketDescriptors(); // which also says why /proc/self/fd cannot be listed
        }
        if (names.length == 0) {
            throw ProcfsSocketSource.emptyDescriptorListing("/proc/self/fd");
        }
        Map<Integer, Long> sockets = new HashMap<>();
        for (String name : names) {
            int fd = Integer.parseInt(name);
            if (libc.statx(fd, emptyPath, AT_EMPTY_PATH, STATX_TYPE | STATX_INO, result) < 0) {
                if (libc.errno() == Errno.EBADF) {
                    continue; // closed since the listing: not ours any more
                }
                statxRefused = true;
                return procfs.ownSocketDescriptors();
            }
            if ((result.getInt(0) & (STATX_TYPE | STATX_INO)) != (STATX_TYPE | STATX_INO)) {
                statxRefused = true;
                return procfs.ownSocketDescriptors();
            }
            if ((result.getShort(28) & S_IFMT) == S_IFSOCK) {
                sockets.put(fd, result.getLong(32));
            }
        }
        return sockets;
    }
}
