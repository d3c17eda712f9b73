package dev.myelin.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Replaces a folder of files as one step, so that a process killed at any moment leaves either
 * the old folder or the new one, whole. The new content is written into {@code NAME.tmp}; then
 * {@code NAME} is renamed to {@code NAME.old}, {@code NAME.tmp} to {@code NAME}, and
 * {@code NAME.old} is removed (or kept under another name). Each rename is atomic. A kill between
 * the two renames leaves no {@code NAME} but a whole {@code NAME.old}, which {@link #recover}
 * puts back; a kill while writing leaves only a {@code NAME.tmp}, which {@link #recover}
 * removes.
 */
public final class AtomicFolder {
    private AtomicFolder() {
    }

    /** The folder to write the new content into: {@code NAME.tmp}, emptied first. */
    public static Path begin(Path target) throws IOException {
        Path tmp = sibling(target, ".tmp");
        deleteTree(tmp);
        return Files.createDirectories(tmp);
    }

    /**
     * Makes the content written into {@link #begin}'s folder the new {@code target}. The old
     * content is moved to {@code keepOldAs} when that is not null, else deleted.
     */
    public static void commit(Path target, Path keepOldAs) throws IOException {
        Path tmp = sibling(target, ".tmp");
        Path old = sibling(target, ".old");
        deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.toAbsolutePath().getParent());
        if (Files.exists(old)) {
            if (keepOldAs == null) {
                deleteTree(old);
            } else {
                deleteTree(keepOldAs);
                Files.move(old, keepOldAs, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /**
     * Brings {@code target} back to a whole state after a kill: puts {@code NAME.old} back when
     * {@code NAME} is missing, and removes a half-written {@code NAME.tmp}. Returns true when
     * {@code target} exists afterwards.
     */
    public static boolean recover(Path target) throws IOException {
        Path old = sibling(target, ".old");
        if (!Files.exists(target) && Files.exists(old)) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        }
        deleteTree(old);
        deleteTree(sibling(target, ".tmp"));
        return Files.isDirectory(target);
    }

    /** Writes {@code text} as UTF-8 and forces it to disk (inside a folder that {@link #commit} will publish). */
    public static void writeText(Path file, String text) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** Deletes {@code dir} and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling(target.getFileName() + suffix);
    }

    /** Makes a rename in {@code dir} durable too (POSIX); where a directory cannot be opened, skip it. */
    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UncheckedIOException | UnsupportedOperationException notSupported) {
            // e.g. Windows, where a directory cannot be opened; the files were forced already
        }
    }
}
