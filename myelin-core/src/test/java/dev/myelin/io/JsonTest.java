package dev.myelin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesObjectsInDocumentOrder() {
        Object v = Json.parse(" {\"b\": [1, -2, 3.5, 1e-06], \"a\": {\"x\": true, \"y\": null}, \"c\": \"s\"} ");

        Map<?, ?> map = assertInstanceOf(Map.class, v);
        assertEquals(List.of("b", "a", "c"), List.copyOf(map.keySet()));
        assertEquals(List.of(1L, -2L, new BigDecimal("3.5"), new BigDecimal("1e-06")), map.get("b"));
        Map<?, ?> a = assertInstanceOf(Map.class, map.get("a"));
        assertEquals(Boolean.TRUE, a.get("x"));
        assertTrue(a.containsKey("y"));
        assertNull(a.get("y"));
        assertEquals("s", map.get("c"));
    }

    @Test
    void numbersKeepTheirExactValue() {
        // Shortest float32 text goes back to the same float through the exact decimal.
        Object v = Json.parse("[0.1, 99999999999999999999, -0]");

        List<?> list = assertInstanceOf(List.class, v);
        assertEquals(0.1f, Float.parseFloat(list.get(0).toString()));
        assertEquals(new BigDecimal("99999999999999999999"), list.get(1));
        assertEquals(0L, list.get(2));
    }

    @Test
    void quoteAndParseRoundTripEveryKindOfCharacter() {
        String s = "quote\" backslash\\ slash/ nl\n cr\r tab\t ctl\u0001\u001f ünï ✓ \uD83D\uDE00";

        assertEquals(s, Json.parse(Json.quote(s)));
        assertEquals("A/é", Json.parse("\"\\u0041\\/\\u00e9\""));
    }

    @Test
    void malformedTextIsRejectedWithThePosition() {
        assertError("{\"a\": 1,}", "expected a string key at character 8");
        assertError("[1, 2", "expected ',' or ']' at character 5");
        assertError("{\"a\" 1}", "expected ':' at character 5");
        assertError("\"open", "unterminated string");
        assertError("\"tab\there\"", "control character");
        assertError("\"\\x\"", "bad escape");
        assertError("01", "expected the end of the document at character 1");
        assertError("1.", "expected digits after '.'");
        assertError("-", "bad number");
        assertError("tru", "expected a value");
        assertError("{\"k\": 1, \"k\": 2}", "duplicate key \"k\" at character 9");
        assertError("", "expected a value at character 0, found the end of the text");
        assertError("{} {}", "expected the end of the document");
    }

    @Test
    void deepNestingIsRejectedRatherThanOverflowingTheStack() {
        char[] open = new char[100_000];
        Arrays.fill(open, '[');

        assertError(new String(open), "nesting deeper than " + Json.MAX_DEPTH);
    }

    private static void assertError(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
        assertTrue(e.getMessage().contains(message), "expected \"" + message + "\" in: " + e.getMessage());
    }
}
