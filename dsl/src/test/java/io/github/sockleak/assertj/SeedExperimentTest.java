package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;

import io.github.sockleak.Owner;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.Loopback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The seed experiment, stated in the DSL")
class SeedExperimentTest {

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("a client reusing a queued CLOSE-WAIT child's port leaves one ghost and shows as port reuse")
    void ghostAfterPortReuse() {
        SeedExperiment seed = SeedExperiment.run(net);

        assertThat(seed.before()).listener(seed.port()).hasAcceptQueueDepth(2).hasQueued(2).hasNoGhosts();
        assertThat(seed.after()).listener(seed.port()).hasGhosts(1).hasAcceptQueueDepth(3).hasQueued(2);
        assertThat(seed.after().since(seed.before())).hasPortReuse();
        assertThat(seed.after()).socketsIn(TcpState.ESTABLISHED)
                .anySatisfy(child -> assertThat(child)
                        .hasLocalPort(seed.port())
                        .hasRemotePort(seed.reusedPort())
                        .hasOwner(Owner.ACCEPT_QUEUE));
    }
}
