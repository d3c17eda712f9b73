package dev.myelin.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opening data files: gzip is recognised by its magic bytes {@code 1f 8b} (RFC 1952), not by
 * the file name, so a renamed or un-gzipped file reads the same way.
 */
public final class DataFiles {
    private static final int BUFFER = 1 << 16;

    private DataFiles() {
    }

    /** Opens {@code file}, decompressing it when it starts with the gzip magic {@code 1f 8b}. */
    public static InputStream open(Path file) {
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
            if (!isGzip(raw)) {
                return raw;
            }
            try {
                return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
            } catch (IOException e) {
                raw.close();
                throw new DataException(file + ": starts like a gzip file (1f 8b) but its gzip header is"
                        + " unreadable (" + e.getMessage() + "); the file is corrupt: download or install it again", e);
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot open: " + e, e);
        }
    }

    /** True when the stream's next two bytes are the gzip magic; the stream is not advanced. */
    static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }
}
