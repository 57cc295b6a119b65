package io.github.sockleak.internal;

import io.github.sockleak.Listener;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Address normalisation and the {@code ss} way of printing addresses. */
public final class Addresses {

    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private Addresses() {
    }

    /** Builds an address from raw bytes without any name lookup. */
    public static InetAddress of(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length, e);
        }
    }

    /** {@code ::ffff:a.b.c.d} becomes {@code a.b.c.d}; every other address stays as it is. */
    public static InetAddress normalise(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            if (Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) {
                return of(Arrays.copyOfRange(bytes, 12, 16));
            }
        }
        return address;
    }

    /**
     * The address as a table of {@code family} stores it, in network order: an IPv4 address in an {@code INET6}
     * table is IPv4-mapped, as the kernel keeps a dual-stack socket's IPv4 peer.
     */
    public static byte[] bytesIn(StandardProtocolFamily family, InetAddress address) {
        byte[] bytes = address.getAddress();
        if (family == StandardProtocolFamily.INET6 && bytes.length == 4) {
            byte[] mapped = Arrays.copyOf(MAPPED_PREFIX, 16);
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        }
        return bytes;
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code [::]:8080}: the way {@code ss -n} prints an endpoint. */
    public static String format(InetSocketAddress endpoint) {
        InetAddress address = endpoint.getAddress();
        String host = address instanceof Inet4Address ? address.getHostAddress() : "[" + compress((Inet6Address) address) + "]";
        return host + ":" + endpoint.getPort();
    }

    /**
     * A listener's endpoint as reports and tables name it, marked when another process holds it:
     * {@code 127.0.0.1:12345 (another process's)}.
     */
    public static String ofListener(Listener listener) {
        return format(listener.local()) + (listener.socket().isOwn() ? "" : " (another process's)");
    }

    /** RFC 5952 text: the longest run of two or more zero groups becomes {@code ::}. */
    static String compress(Inet6Address address) {
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
