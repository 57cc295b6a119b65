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
    /**
     * The last address of each kind: consecutive rows mostly share their addresses, but a dump interleaves the two
     * families' sockets, so one per family spares most rows a key and a lookup.
     */
    private Key lastIpv4;
    private InetAddress lastIpv4Address;
    private Key lastIpv6;
    private InetAddress lastIpv6Address;

    /** The IPv4 address whose 4 bytes are {@code bits}. */
    public InetAddress ipv4(int bits) {
        long high = Integer.toUnsignedLong(bits);
        if (lastIpv4 == null || lastIpv4.high != high) {
            lastIpv4 = new Key(high, 0, false);
            lastIpv4Address = addresses.computeIfAbsent(lastIpv4, AddressCache::build);
        }
        return lastIpv4Address;
    }

    /**
     * The address of the 16 bytes {@code high} (the first 8) and {@code low}: an IPv6 address, or, for an
     * IPv4-mapped one, the IPv4 address, as {@link InetAddress#getByAddress(byte[])} builds it.
     */
    public InetAddress ipv6(long high, long low) {
        if (lastIpv6 == null || lastIpv6.high != high || lastIpv6.low != low) {
            lastIpv6 = new Key(high, low, true);
            lastIpv6Address = addresses.computeIfAbsent(lastIpv6, AddressCache::build);
        }
        return lastIpv6Address;
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
