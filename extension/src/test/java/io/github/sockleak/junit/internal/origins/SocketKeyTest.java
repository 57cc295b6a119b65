package io.github.sockleak.junit.internal.origins;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SocketKey: the JVM's and the kernel's names for one socket")
class SocketKeyTest {

    @Test
    @DisplayName("an IPv4-mapped IPv6 address is the IPv4 address")
    void mappedIsIpv4() throws UnknownHostException {
        InetAddress mapped = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1});
        InetAddress ipv4 = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});

        assertThat(SocketKey.of(new InetSocketAddress(mapped, 8080), new InetSocketAddress(mapped, 40000)))
                .isEqualTo(SocketKey.of(new InetSocketAddress(ipv4, 8080), new InetSocketAddress(ipv4, 40000)));
    }

    @Test
    @DisplayName("Java's 0.0.0.0 listener is the kernel's [::] listener")
    void wildcardsAreOne() throws UnknownHostException {
        InetAddress ipv6Any = InetAddress.getByName("::");
        InetAddress ipv4Any = InetAddress.getByName("0.0.0.0");

        assertThat(SocketKey.listener(new InetSocketAddress(ipv4Any, 8080)))
                .isEqualTo(SocketKey.of(new InetSocketAddress(ipv6Any, 8080), new InetSocketAddress(ipv6Any, 0)));
    }

    @Test
    @DisplayName("a queued child finds its listener, bound to its address or to the wildcard, and its peer")
    void childToListenerAndPeer() throws UnknownHostException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        SocketKey child = SocketKey.of(new InetSocketAddress(loopback, 8080), new InetSocketAddress(loopback, 40000));

        assertThat(child.listenerOnLocalAddress()).isEqualTo(SocketKey.listener(new InetSocketAddress(loopback, 8080)));
        assertThat(child.listenerOnAnyAddress()).isEqualTo(SocketKey.listener(new InetSocketAddress(8080)));
        assertThat(child.reversed()).isEqualTo(SocketKey.of(new InetSocketAddress(loopback, 40000), new InetSocketAddress(loopback, 8080)));
    }
}
