package io.github.sockleak.junit.internal.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Xml.escape")
class XmlTest {

    @Test
    @DisplayName("escapes markup and both quotes")
    void markup() {
        assertThat(Xml.escape("<script>alert('x' & \"y\")</script>"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
    }

    @Test
    @DisplayName("keeps tabs, line breaks and characters beyond the basic plane")
    void keeps() {
        assertThat(Xml.escape("a\tb\nc\r\u00e9 \uD83D\uDE00")).isEqualTo("a\tb\nc\r\u00e9 \uD83D\uDE00");
    }

    @Test
    @DisplayName("replaces what XML cannot hold: control characters and lone surrogates")
    void replaces() {
        assertThat(Xml.escape("a\u0000b\u001Bc\uD83Dd\uDE00\uFFFF")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFD\uFFFD");
    }
}
