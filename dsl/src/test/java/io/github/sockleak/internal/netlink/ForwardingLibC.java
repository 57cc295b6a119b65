package io.github.sockleak.internal.netlink;

import java.nio.ByteBuffer;

/** A real C library with every call passed on, for tests that watch or withhold some of them. */
class ForwardingLibC implements LibC {

    private final LibC libc;

    ForwardingLibC(LibC libc) {
        this.libc = libc;
    }

    @Override
    public ByteBuffer allocate(int bytes) {
        return libc.allocate(bytes);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return libc.socket(domain, type, protocol);
    }

    @Override
    public long sendto(int fd, ByteBuffer message, int flags, ByteBuffer address) {
        return libc.sendto(fd, message, flags, address);
    }

    @Override
    public long recv(int fd, ByteBuffer buffer, int flags) {
        return libc.recv(fd, buffer, flags);
    }

    @Override
    public int close(int fd) {
        return libc.close(fd);
    }

    @Override
    public int open(ByteBuffer path, int flags) {
        return libc.open(path, flags);
    }

    @Override
    public int getsockname(int fd, ByteBuffer address, ByteBuffer length) {
        return libc.getsockname(fd, address, length);
    }

    @Override
    public int getpeername(int fd, ByteBuffer address, ByteBuffer length) {
        return libc.getpeername(fd, address, length);
    }

    @Override
    public int getsockopt(int fd, int level, int option, ByteBuffer value, ByteBuffer length) {
        return libc.getsockopt(fd, level, option, value, length);
    }

    @Override
    public boolean hasStatx() {
        return libc.hasStatx();
    }

    @Override
    public int statx(int directoryFd, ByteBuffer path, int flags, int mask, ByteBuffer result) {
        return libc.statx(directoryFd, path, flags, mask, result);
    }

    @Override
    public boolean hasGetdents64() {
        return libc.hasGetdents64();
    }

    @Override
    public long getdents64(int fd, ByteBuffer buffer) {
        return libc.getdents64(fd, buffer);
    }

    @Override
    public int errno() {
        return libc.errno();
    }

    @Override
    public void close() {
        libc.close();
    }
}
