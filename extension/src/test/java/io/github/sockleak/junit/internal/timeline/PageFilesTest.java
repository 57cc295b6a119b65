package io.github.sockleak.junit.internal.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Page file names")
class PageFilesTest {

    private static final Path ROOT = Path.of("target", "sockleak");

    @Test
    @DisplayName("a name that is already safe stays as it is")
    void safeName() {
        assertThat(PageFiles.safeName("io.github.sockleak.OrderServiceIT")).isEqualTo("io.github.sockleak.OrderServiceIT");
        assertThat(PageFiles.safeName("closes_what-it.opens")).isEqualTo("closes_what-it.opens");
    }

    @Test
    @DisplayName("spaces, parentheses, brackets and slashes become underscores, with a digest of the name")
    void unsafeName() {
        assertThat(PageFiles.safeName("[1] leaks(int, String) a/b\\c"))
                .matches("_1_leaks_int_String_a_b_c-[0-9a-f]{8}");
        assertThat(PageFiles.safeName("test(int)")).isNotEqualTo(PageFiles.safeName("test[int]"))
                .startsWith("test_int_-");
    }

    @Test
    @DisplayName("no name climbs out of its folder, hides, or is empty")
    void noEscape() {
        for (String name : List.of("..", ".", "", "../../etc/passwd", ".hidden", "a/../../b")) {
            String safe = PageFiles.safeName(name);
            assertThat(safe).as(name).matches("[A-Za-z0-9_-][A-Za-z0-9._-]*");
            assertThat(PageFiles.page(ROOT, name, name).normalize().getParent().getParent()).isEqualTo(ROOT);
        }
    }

    @Test
    @DisplayName("a very long name is cut, and the digest keeps two such names apart")
    void longName() {
        String prefix = "x".repeat(300);
        assertThat(PageFiles.safeName(prefix + "a")).hasSize(80 + 9).isNotEqualTo(PageFiles.safeName(prefix + "b"));
    }

    @Test
    @DisplayName("non-ASCII names become ASCII, told apart by their digests")
    void nonAscii() {
        assertThat(PageFiles.safeName("f\u00fchrt")).matches("f_hrt-[0-9a-f]{8}")
                .isNotEqualTo(PageFiles.safeName("f\u00e4hrt"));
    }

    @Test
    @DisplayName("links are relative, with forward slashes")
    void link() {
        Path page = PageFiles.page(ROOT, "com.example.FooTest", "leaks()");
        assertThat(PageFiles.link(ROOT, page)).isEqualTo("com.example.FooTest/" + page.getFileName());
        assertThat(PageFiles.link(page.getParent(), ROOT.resolve("index.html"))).isEqualTo("../index.html");
    }
}
