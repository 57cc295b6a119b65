package io.github.sockleak.junit.internal.timeline;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Names the pages' files. Test names hold spaces, parentheses, brackets, slashes, anything a display name can; a
 * file name holds only letters, digits, dots, dashes and underscores here, so that it is valid on any file system,
 * needs no escaping in a link and cannot climb out of its folder. A name that had to change gets a digest of the
 * original, so that {@code test(int)} and {@code test[int]} do not share a page.
 */
final class PageFiles {

    /** Enough of a name to recognise it; the digest keeps it unique. Far below any file system's limit. */
    private static final int MAX_KEPT = 80;
    private static final int DIGEST_CHARS = 8;

    private PageFiles() {
    }

    /** {@code <root>/<class>/<test>.html}, both names made safe. */
    static Path page(Path root, String className, String testName) {
        return root.resolve(safeName(className)).resolve(safeName(testName) + ".html");
    }

    static String safeName(String name) {
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < name.length() && safe.length() < MAX_KEPT; i++) {
            char c = name.charAt(i);
            boolean kept = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' && safe.length() > 0;
            if (kept) {
                safe.append(c);
            } else if (safe.length() == 0 || safe.charAt(safe.length() - 1) != '_') {
                safe.append('_');
            }
        }
        if (!name.isEmpty() && safe.toString().equals(name)) {
            return name;
        }
        return (safe.length() == 0 ? "_" : safe) + "-" + digest(name);
    }

    /** The link from a file in {@code root} to {@code page}: relative, with forward slashes, as a URL wants. */
    static String link(Path root, Path page) {
        Path relative = root.toAbsolutePath().normalize().relativize(page.toAbsolutePath().normalize());
        // Pages' names need no escaping; a path given by someone else might.
        return StreamSupport.stream(relative.spliterator(), false)
                .map(segment -> URLEncoder.encode(segment.toString(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    private static String digest(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, DIGEST_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
