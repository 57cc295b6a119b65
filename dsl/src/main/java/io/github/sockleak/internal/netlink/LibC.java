package io.github.sockleak.internal.netlink;

import java.nio.ByteBuffer;

/**
 * The C library as one read of the netlink sources uses it, on one thread: the system calls, each returning -1
 * and leaving {@code errno} on failure, the {@code errno} of the last one, and the memory they read and write.
 * This is the only part of netlink that depends on how the JVM calls C: {@code java.lang.foreign} on JDK 22+
 * ({@code ForeignLibC}, in the multi-release jar), JNA on JDK 17 to 21 ({@link JnaLibC}).
 *
 * <p>The memory is direct buffers from {@link #allocate}, valid until {@link #close()}. A call reads or writes a
 * buffer from its position to its limit, as a channel does, and leaves its position alone.
 */
interface LibC extends AutoCloseable {

    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    /** {@code O_RDONLY | O_CLOEXEC}: {@code O_CLOEXEC} has the value of {@link #SOCK_CLOEXEC}, as on x86-64 and AArch64. */
    int O_RDONLY_CLOEXEC = 0x80000;
    /** With {@code recv}: return a datagram's real length even when it did not fit, so a cut reply is seen. */
    int MSG_TRUNC = 0x20;

    /** {@code bytes} of zeroed memory in native byte order, freed by {@link #close()}. */
    ByteBuffer allocate(int bytes);

    int socket(int domain, int type, int protocol);

    /** Sends the bytes of {@code message} to the {@code struct sockaddr} in {@code address}. */
    long sendto(int fd, ByteBuffer message, int flags, ByteBuffer address);

    /** One datagram into {@code buffer}; with {@link #MSG_TRUNC} the result is its length, even when it did not fit. */
    long recv(int fd, ByteBuffer buffer, int flags);

    int close(int fd);

    /** {@code path} is a NUL-terminated string; no {@code O_CREAT}, so no mode. */
    int open(ByteBuffer path, int flags);

    /** @param length a {@code socklen_t}: the room in {@code address} before the call, the address's length after */
    int getsockname(int fd, ByteBuffer address, ByteBuffer length);

    int getpeername(int fd, ByteBuffer address, ByteBuffer length);

    int getsockopt(int fd, int level, int option, ByteBuffer value, ByteBuffer length);

    /** Whether the C library has {@link #statx}: glibc 2.28 and later; callers do without it. */
    boolean hasStatx();

    /** Only where {@link #hasStatx()}; {@code path} is a NUL-terminated string. */
    int statx(int directoryFd, ByteBuffer path, int flags, int mask, ByteBuffer result);

    /** Whether the C library has {@link #getdents64}: glibc 2.30 and later; callers do without it. */
    boolean hasGetdents64();

    /**
     * Only where {@link #hasGetdents64()}: the next entries of the directory open on {@code fd}, as
     * {@code struct linux_dirent64} records, into {@code buffer}; their bytes, 0 at the end.
     */
    long getdents64(int fd, ByteBuffer buffer);

    /** The {@code errno} of the last call made through this instance. */
    int errno();

    /** Frees the memory {@link #allocate} gave; the descriptors are the caller's to close. */
    @Override
    void close();
}
