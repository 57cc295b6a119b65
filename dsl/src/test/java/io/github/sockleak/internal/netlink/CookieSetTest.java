package io.github.sockleak.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The cookies of one dump")
class CookieSetTest {

    @Test
    @DisplayName("tells a new cookie from one already added, through growth, as a HashSet does")
    void sameAnswersAsAHashSet() {
        CookieSet cookies = new CookieSet();
        Set<Long> expected = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            // Sequential cookies as the kernel hands them out, some sent twice, and arbitrary ones.
            long cookie = i % 3 == 0 ? random.nextLong() : 0x1_0000_0000L + random.nextInt(20_000);
            assertThat(cookies.add(cookie)).as("cookie %d", cookie).isEqualTo(expected.add(cookie));
        }
    }

    @Test
    @DisplayName("spreads runs of cookies that agree in their low bits, instead of searching one run for each cookie of the next")
    void runsThatAgreeInTheirLowBits() {
        CookieSet cookies = new CookieSet();
        // The kernel's cookies come in runs of 4,096 per CPU: four runs whose low 20 bits are the same, as a dump of
        // sockets from two CPUs over a few minutes can hold. Looking through a whole earlier run for each cookie
        // would pass thousands of taken slots per cookie; a few are the price of keeping neighbours together.
        int added = 0;
        for (long run = 0; run < 4; run++) {
            long start = 0x5_0000_0001L + (run << 20);
            for (long cookie = start; cookie < start + 4_096; cookie++) {
                assertThat(cookies.add(cookie)).isTrue();
                added++;
            }
        }
        assertThat(cookies.collisions()).as("taken slots passed by %d adds", added).isLessThan(16L * added);
    }

    @Test
    @DisplayName("keeps cookie 0, which marks an empty slot inside, like any other")
    void zero() {
        CookieSet cookies = new CookieSet();
        assertThat(cookies.add(0)).isTrue();
        assertThat(cookies.add(0)).isFalse();
        assertThat(cookies.add(-1)).isTrue();
        assertThat(cookies.add(-1)).isFalse();
    }
}
