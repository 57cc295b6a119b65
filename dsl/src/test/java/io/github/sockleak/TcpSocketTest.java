package io.github.sockleak;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A socket keeps addresses and ports, not endpoints, and a cookie's presence, not an OptionalLong: what it gives back is the same. */
@DisplayName("TcpSocket")
class TcpSocketTest {

    @Test
    @DisplayName("gives its endpoints and cookie as it was given them")
    void endpointsAndCookie() throws Exception {
        TcpSocket socket = socket(InetAddress.getByName("127.0.0.1"), OptionalLong.of(0));

        assertThat(socket.local()).isEqualTo(new InetSocketAddress("127.0.0.1", 40000));
        assertThat(socket.remote()).isEqualTo(new InetSocketAddress("127.0.0.2", 8080));
        assertThat(socket.cookie()).as("0 is a cookie like any other").hasValue(0);
        assertThat(socket(InetAddress.getByName("127.0.0.1"), OptionalLong.empty()).cookie()).isEmpty();
    }

    @Test
    @DisplayName("equals a socket of equal fields built from other address objects, with the same hash code; not one without its cookie")
    void equality() throws Exception {
        TcpSocket socket = socket(InetAddress.getByName("127.0.0.1"), OptionalLong.of(7));
        TcpSocket same = socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), OptionalLong.of(7));

        assertThat(same).isEqualTo(socket).hasSameHashCodeAs(socket);
        assertThat(socket(InetAddress.getByName("127.0.0.1"), OptionalLong.empty())).isNotEqualTo(socket);
        assertThat(socket(InetAddress.getByName("127.0.0.3"), OptionalLong.of(7))).isNotEqualTo(socket);
    }

    @Test
    @DisplayName("prints its endpoints as ss does, a listener's unset peer as *:*")
    void line() throws Exception {
        assertThat(socket(InetAddress.getByName("127.0.0.1"), OptionalLong.empty()).toString())
                .contains(" 127.0.0.1:40000 ", " 127.0.0.2:8080 ", " ino:42");
        TcpSocket listener = new TcpSocket(StandardProtocolFamily.INET6, TcpState.LISTEN, InetAddress.getByName("::"), 8080,
                InetAddress.getByName("::"), 0, 0, 50, 1000, 43, OptionalLong.empty(), Owner.THIS_PROCESS);
        assertThat(listener.toString()).contains(" [::]:8080 ", " *:* ");
    }

    private static TcpSocket socket(InetAddress local, OptionalLong cookie) throws Exception {
        return new TcpSocket(StandardProtocolFamily.INET, TcpState.ESTABLISHED, local, 40000,
                InetAddress.getByName("127.0.0.2"), 8080, 3, 5, 1000, 42, cookie, Owner.THIS_PROCESS);
    }
}
