package io.github.sockleak.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AddressCache")
class AddressCacheTest {

    private final AddressCache cache = new AddressCache();

    @Test
    @DisplayName("gives the same instance for an address seen before, whether it was the last one asked for or not")
    void oneInstancePerAddress() {
        InetAddress first = cache.ipv4(0x7F000001);

        assertThat(cache.ipv4(0x7F000001)).isSameAs(first);
        assertThat(cache.ipv4(0x7F010203)).isNotSameAs(first);
        assertThat(cache.ipv4(0x7F000001)).isSameAs(first);
        InetAddress loopback6 = cache.ipv6(0, 1);
        assertThat(cache.ipv6(0x20010DB800000000L, 1)).isNotSameAs(loopback6);
        assertThat(cache.ipv6(0, 1)).isSameAs(loopback6);
    }

    @Test
    @DisplayName("reads the numbers as the address's bytes in network order, the first byte the most significant")
    void networkOrder() throws Exception {
        assertThat(cache.ipv4(0x7F010203)).isEqualTo(InetAddress.getByName("127.1.2.3"));
        assertThat(cache.ipv4(0xC0A80001)).as("a first byte above 127").isEqualTo(InetAddress.getByName("192.168.0.1"));
        assertThat(cache.ipv6(0x20010DB800000000L, 0x00000000000000FFL)).isInstanceOf(Inet6Address.class)
                .isEqualTo(InetAddress.getByName("2001:db8::ff"));
        assertThat(cache.ipv6(0xFE80000000000000L, 0x8000000000000001L)).isEqualTo(InetAddress.getByName("fe80::8000:0:0:1"));
    }

    @Test
    @DisplayName("gives an IPv4-mapped address as IPv4, as InetAddress does, and keeps ::1 apart from 0.0.0.1")
    void familiesApart() throws Exception {
        assertThat(cache.ipv6(0, 0x0000FFFF7F000001L)).isInstanceOf(Inet4Address.class)
                .isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(cache.ipv6(0, 1)).isInstanceOf(Inet6Address.class).isEqualTo(InetAddress.getByName("::1"));
        assertThat(cache.ipv4(1)).isInstanceOf(Inet4Address.class).isEqualTo(InetAddress.getByName("0.0.0.1"));
    }

    @Test
    @DisplayName("shares nothing between two caches: each read has its own")
    void onePerRead() {
        AddressCache other = new AddressCache();

        assertThat(other.ipv4(0x7F000001)).isEqualTo(cache.ipv4(0x7F000001)).isNotSameAs(cache.ipv4(0x7F000001));
    }
}
