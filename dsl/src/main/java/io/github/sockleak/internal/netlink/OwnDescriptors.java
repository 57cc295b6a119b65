package io.github.sockleak.internal.netlink;

import io.github.sockleak.internal.ProcfsSocketSource;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * This process's socket descriptors and their inodes, as {@link ProcfsSocketSource#ownSocketDescriptors()} finds
 * them, for about a third of the cost: {@code /proc/self/fd} is read with {@code getdents64} into native memory,
 * with no string made per entry, and each descriptor is asked with {@code statx} on the descriptor itself, one
 * system call and no path to resolve, where reading each link resolves a path in procfs and builds a string to
 * parse. Every check and snapshot reads the descriptors two or three times, so this is a good part of a per-test
 * check.
 *
 * <p>Without {@code statx} (a C library older than glibc 2.28, a kernel older than 4.11, a seccomp filter that
 * refuses it) the links are read as before; without {@code getdents64} (glibc older than 2.30) the directory is
 * listed by Java.
 */
final class OwnDescriptors {

    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_INO = 0x100;
    /** {@code struct statx}: {@code u32 stx_mask} at 0, {@code u16 stx_mode} at 28, {@code u64 stx_ino} at 32. */
    private static final int STATX_BYTES = 256;
    private static final int S_IFMT = 0xF000;
    private static final int S_IFSOCK = 0xC000;
    private static final String DIRECTORY = "/proc/self/fd";
    /** Room for about 250 entries a call: a JVM holds a few dozen descriptors, a busy server a few thousand. */
    private static final int ENTRIES_BYTES = 8192;
    /** {@code struct linux_dirent64}: {@code u16 d_reclen} at 16, the NUL-terminated {@code d_name} at 19. */
    private static final int RECLEN_AT = 16;
    private static final int NAME_AT = 19;

    /** Set once this JVM's {@code statx} has failed for another reason than a closed descriptor. */
    private static volatile boolean statxRefused;

    private final LibC libc;
    private final ProcfsSocketSource procfs;
    /** {@code ""}: its NUL terminator, zeroed by the allocation, as {@link #directory}'s. */
    private final ByteBuffer emptyPath;
    private final ByteBuffer result;
    private final ByteBuffer directory;
    private final ByteBuffer entries;

    OwnDescriptors(LibC libc, ProcfsSocketSource procfs) {
        this.libc = libc;
        this.procfs = procfs;
        this.emptyPath = libc.allocate(1);
        this.result = libc.allocate(STATX_BYTES);
        this.directory = libc.allocate(DIRECTORY.length() + 1).put(0, DIRECTORY.getBytes(StandardCharsets.US_ASCII));
        this.entries = libc.allocate(ENTRIES_BYTES);
    }

    /** Each descriptor of this process that holds a socket of any kind, with the socket's inode. */
    Map<Integer, Long> sockets() {
        int[] fds = statxRefused || !libc.hasStatx() ? null : libc.hasGetdents64() ? listed() : named();
        if (fds == null) {
            return procfs.ownSocketDescriptors(); // which also says why /proc/self/fd cannot be listed
        }
        if (fds.length == 0) {
            throw ProcfsSocketSource.emptyDescriptorListing(DIRECTORY);
        }
        Map<Integer, Long> sockets = new HashMap<>();
        for (int fd : fds) {
            if (libc.statx(fd, emptyPath, AT_EMPTY_PATH, STATX_TYPE | STATX_INO, result) < 0) {
                if (libc.errno() == Errno.EBADF) {
                    continue; // closed since the listing (the listing's own descriptor too): not ours any more
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

    /** The descriptors {@code /proc/self/fd} lists, read with {@code getdents64}; null when it cannot be read. */
    private int[] listed() {
        int listing = libc.open(directory, LibC.O_RDONLY_CLOEXEC);
        if (listing < 0) {
            return null;
        }
        try {
            int[] fds = new int[64];
            int count = 0;
            long bytes;
            while ((bytes = libc.getdents64(listing, entries)) > 0) {
                for (int at = 0; at < bytes; at += Short.toUnsignedInt(entries.getShort(at + RECLEN_AT))) {
                    int fd = descriptor(entries, at + NAME_AT);
                    if (fd >= 0) {
                        if (count == fds.length) {
                            fds = Arrays.copyOf(fds, 2 * count);
                        }
                        fds[count++] = fd;
                    }
                }
            }
            return bytes < 0 ? null : Arrays.copyOf(fds, count);
        } finally {
            libc.close(listing);
        }
    }

    /** The number an entry's NUL-terminated name spells; -1 for {@code .} and {@code ..}. */
    private static int descriptor(ByteBuffer entries, int name) {
        int fd = 0;
        int at = name;
        for (byte digit = entries.get(at); digit != 0; digit = entries.get(++at)) {
            if (digit < '0' || digit > '9') {
                return -1;
            }
            fd = 10 * fd + digit - '0';
        }
        return at == name ? -1 : fd;
    }

    /** The descriptors {@code /proc/self/fd} lists, as Java lists a directory; null when it cannot be read. */
    private static int[] named() {
        String[] names = new File(DIRECTORY).list();
        return names == null ? null : Arrays.stream(names).mapToInt(Integer::parseInt).toArray();
    }
}
