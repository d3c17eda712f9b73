package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextLinesTest {
    private static final Path FILE = Path.of("t.csv");

    private static List<String> lines(byte[] bytes, int max) throws IOException {
        List<String> out = new ArrayList<>();
        try (TextLines in = new TextLines(new ByteArrayInputStream(bytes), FILE, max)) {
            for (String l = in.next(); l != null; l = in.next()) {
                out.add(in.lineNumber() + ":" + l);
            }
            assertNull(in.next());
        }
        return out;
    }

    @Test
    void endsLinesAsReadLineDoes() throws IOException {
        byte[] text = "a,b\nc\r\n\r\nd\re\nlast é".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("1:a,b", "2:c", "3:", "4:d", "5:e", "6:last é"), lines(text, 100));
        assertEquals(List.of("1:x"), lines("x\n".getBytes(StandardCharsets.UTF_8), 100));
        assertEquals(List.of(), lines(new byte[0], 100));
        // a byte order mark opens the file only: dropped there, kept as text elsewhere
        assertEquals(List.of("1:a", "2:\uFEFFb"), lines("\uFEFFa\n\uFEFFb".getBytes(StandardCharsets.UTF_8), 100));
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedWithItsNumber() {
        byte[] text = "ok\n0123456789\n".getBytes(StandardCharsets.UTF_8);
        DataException e = assertThrows(DataException.class, () -> lines(text, 9));
        IdxReaderTest.assertContains(e, "t.csv:2", "longer than 9 bytes", "line breaks");
        assertEquals(2, assertThrowsNothing(() -> lines(text, 10)).size());
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorNamingTheLine() {
        byte[] latin1 = "label,x\nsch\u00f6n,1\n".getBytes(StandardCharsets.ISO_8859_1);
        DataException e = assertThrows(DataException.class, () -> lines(latin1, 100));
        IdxReaderTest.assertContains(e, "t.csv:2", "not UTF-8", "offset 11 of the file", "4. of the line", "0xf6", "iconv");
    }

    private static List<String> assertThrowsNothing(IoCall c) {
        try {
            return c.get();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private interface IoCall {
        List<String> get() throws IOException;
    }
}
