package io.github.sockleak.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link InetAddress} per distinct address of one read of the kernel's table. A table holds a handful of
 * addresses for thousands of sockets (on loopback, one or two), and every socket of a snapshot keeps its two
 * addresses: built per row, they would be most of the snapshot's memory.
 *
 * <p>Not thread-safe, and not meant to be shared: each read makes its own, so it grows only with that table's
 * distinct addresses and goes with it, and reads on parallel threads share nothing. The addresses it returns
 * are immutable and may be kept.
 *
 * <p>Addresses are given as their bytes in network order packed into numbers, the first byte the most
 * significant, so a caller decodes them without an array per row.
 */
public final class AddressCache {

    private final Map<Key, InetAddress> addresses = new HashMap<>();
    /** Consecutive rows mostly share their addresses: those need no key and no lookup. */
    private Key last;
    private InetAddress lastAddress;

    /** The IPv4 address whose 4 bytes are {@code bits}. */
    public InetAddress ipv4(int bits) {
        return address(Integer.toUnsignedLong(bits), 0, false);
    }

    /**
     * The address of the 16 bytes {@code high} (the first 8) and {@code low}: an IPv6 address, or, for an
     * IPv4-mapped one, the IPv4 address, as {@link InetAddress#getByAddress(byte[])} builds it.
     */
    public InetAddress ipv6(long high, long low) {
        return address(high, low, true);
    }

    private InetAddress address(long high, long low, boolean ipv6) {
        if (last != null && last.high == high && last.low == low && last.ipv6 == ipv6) {
            return lastAddress;
        }
        Key key = new Key(high, low, ipv6);
        InetAddress address = addresses.computeIfAbsent(key, AddressCache::build);
        last = key;
        lastAddress = address;
        return address;
    }

    private static InetAddress build(Key key) {
        byte[] bytes = new byte[key.ipv6 ? 16 : 4];
        if (key.ipv6) {
            put(bytes, 0, key.high, 8);
            put(bytes, 8, key.low, 8);
        } else {
            put(bytes, 0, key.high, 4);
        }
        return Addresses.of(bytes);
    }

    /** The {@code count} low bytes of {@code value}, most significant first. */
    private static void put(byte[] bytes, int at, long value, int count) {
        for (int i = 0; i < count; i++) {
            bytes[at + i] = (byte) (value >>> (8 * (count - 1 - i)));
        }
    }

    private record Key(long high, long low, boolean ipv6) {
    }
}
