package dev.myelin.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of a UTF-8 text file, read with limits: a line longer than {@link #MAX_LINE_BYTES}
 * is refused before it is held whole (a 1 GB file with no line break would otherwise need
 * gigabytes of heap), and bytes that are not UTF-8 are an error that names the line and the
 * byte offset, not text silently replaced by U+FFFD. Lines end at {@code \n}, {@code \r\n} or
 * {@code \r}, as {@link java.io.BufferedReader#readLine()} ends them; the bytes are split
 * before they are decoded (UTF-8 never uses those byte values inside a character), so an error
 * names its own line. A byte order mark at the start of the file (as Excel writes) is dropped.
 */
public final class TextLines implements AutoCloseable {
    /** The longest line read: 16 MiB, about 700,000 numeric fields. */
    public static final int MAX_LINE_BYTES = 1 << 24;

    private final InputStream in;
    private final Path file;
    private final int maxBytes;
    private final byte[] buf = new byte[1 << 16];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[256];
    private int pos;
    private int len;
    private long offset; // of buf[0] in the file
    private int lineNo;

    /** The lines of {@code bytes}, read from {@code file} (named in errors). */
    public TextLines(InputStream bytes, Path file) {
        this(bytes, file, MAX_LINE_BYTES);
    }

    TextLines(InputStream bytes, Path file, int maxBytes) {
        this.in = bytes;
        this.file = file;
        this.maxBytes = maxBytes;
    }

    /** The number of the line last returned, from 1. */
    public int lineNumber() {
        return lineNo;
    }

    /** The next line without its terminator, or null at the end of the file. */
    public String next() throws IOException {
        long start = offset + pos;
        int n = 0;
        int c;
        while ((c = read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c == '\r') {
                if (peek() == '\n') {
                    pos++;
                }
                break;
            }
            if (n == maxBytes) {
                throw new DataException(file + ":" + (lineNo + 1) + ": line longer than " + maxBytes
                        + " bytes; expected one sample per line. Is this file a CSV table with line breaks"
                        + " (\\n or \\r\\n)?");
            }
            if (n == line.length) {
                line = Arrays.copyOf(line, (int) Math.min(maxBytes, 2L * n));
            }
            line[n++] = (byte) c;
        }
        if (c < 0 && n == 0) {
            return null;
        }
        lineNo++;
        String text = decode(n, start);
        return lineNo == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text; // a UTF-8 byte order mark
    }

    private String decode(int n, long start) {
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, n);
        CharBuffer chars = CharBuffer.allocate(n);
        utf8.reset();
        CoderResult r = utf8.decode(bytes, chars, true);
        if (r.isError()) {
            throw new DataException(file + ":" + lineNo + ": not UTF-8 text: the byte at offset " + (start + bytes.position())
                    + " of the file (" + (bytes.position() + 1) + ". of the line) is 0x"
                    + String.format("%02x", line[bytes.position()] & 0xff) + ", which no UTF-8 character has there;"
                    + " save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 in.csv > out.csv");
        }
        utf8.flush(chars);
        return chars.flip().toString();
    }

    private int read() throws IOException {
        return peek() < 0 ? -1 : buf[pos++] & 0xff;
    }

    private int peek() throws IOException {
        while (pos == len) {
            offset += len;
            pos = 0;
            len = in.read(buf, 0, buf.length);
            if (len < 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos] & 0xff;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
