package dev.myelin.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The one product of sizes behind every tensor and sample allocation. */
class NumelTest {
    @Test
    void countsTheValuesOfAShape() {
        assertEquals(784, Tensor.numel(new int[] {1, 28, 28}));
        assertEquals(1, Tensor.numel(new int[0]));
        assertEquals(0, Tensor.numel(new int[] {3, 0, 5}));
        assertEquals(Integer.MAX_VALUE, Tensor.numel(new int[] {Integer.MAX_VALUE, 1}));
    }

    @Test
    void aProductBeyondAJavaArrayThrowsEvenWhereALongWouldWrapAround() {
        assertThrows(ArithmeticException.class, () -> Tensor.numel(new int[] {65536, 32768}));
        // 2^64 wrapped a long accumulator to 0, which passed the int check: a silent empty tensor
        assertThrows(ArithmeticException.class, () -> Tensor.numel(new int[] {65536, 65536, 65536, 65536}));
        assertThrows(IllegalArgumentException.class, () -> Tensor.numel(new int[] {2, -1}));
    }
}
