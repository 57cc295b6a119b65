package io.github.sockleak.junit.internal.timeline;

import java.util.Locale;

/**
 * Writes elements into a growing document, escaping every attribute value and text it is given, so that the
 * drawing code never builds markup from raw strings.
 */
final class Markup {

    private final StringBuilder out = new StringBuilder(16_384);

    /** Opens {@code tag} with attributes given as name, value pairs; a null value leaves its attribute out. */
    Markup open(String tag, Object... attributes) {
        start(tag, attributes);
        out.append('>');
        return this;
    }

    Markup close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** An element without content, written {@code <tag/>}: valid XML, and HTML parsers read SVG's that way too. */
    Markup empty(String tag, Object... attributes) {
        start(tag, attributes);
        out.append("/>");
        return this;
    }

    /** An element holding only text. */
    Markup element(String tag, String text, Object... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    Markup text(String text) {
        out.append(Xml.escape(text));
        return this;
    }

    /** Markup this package wrote itself (a style sheet, a doctype): never text from a test or a socket. */
    Markup raw(String markup) {
        out.append(markup);
        return this;
    }

    /** A coordinate as SVG wants it: at most one decimal, a dot whatever the default locale. */
    static String number(double value) {
        long tenths = Math.round(value * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }

    private void start(String tag, Object[] attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come as name, value pairs: " + attributes.length + " given");
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            Object value = attributes[i + 1];
            if (value != null) {
                String text = value instanceof Double ? number((Double) value) : value.toString();
                out.append(' ').append(attributes[i]).append("=\"").append(Xml.escape(text)).append('"');
            }
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
