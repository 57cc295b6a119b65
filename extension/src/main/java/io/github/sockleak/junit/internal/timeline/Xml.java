package io.github.sockleak.junit.internal.timeline;

/** Escapes text for XML content and attribute values, so that any test name or address is shown as written. */
final class Xml {

    private Xml() {
    }

    /**
     * The text with markup characters escaped and the characters XML cannot hold at all (control characters other
     * than tab, line feed and carriage return, lone surrogates) replaced by U+FFFD: a test's display name can hold
     * anything, and one such character would make the whole page unreadable to an XML parser.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        escaped.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c) || c < 0x20 && c != '\t' && c != '\n' && c != '\r'
                            || c == 0xFFFE || c == 0xFFFF) {
                        escaped.append('\uFFFD');
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
