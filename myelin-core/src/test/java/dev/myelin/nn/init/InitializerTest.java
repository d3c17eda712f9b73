package dev.myelin.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.options.OptionException;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The initializer records: PyTorch's defaults, their checks, and that each fills as its {@link Init} function. */
class InitializerTest {
    @Test
    void defaultsArePyTorchs() {
        assertEquals(new Initializer.Uniform(0, 1), Initializer.Uniform.defaults());
        assertEquals(new Initializer.Normal(0, 1), Initializer.Normal.defaults());
        assertEquals(new Initializer.KaimingNormal(0, Init.FanMode.FAN_IN, Initializer.Nonlinearity.LEAKY_RELU),
                Initializer.KaimingNormal.defaults());
        assertEquals(1.0, Initializer.XavierUniform.defaults().gain());
        assertEquals(1.0, Initializer.Orthogonal.defaults().gain());
        assertEquals(Math.sqrt(2), Initializer.Nonlinearity.RELU.gain(0), 1e-15);
    }

    @Test
    void outOfRangeOptionsNameTheirKey() {
        assertEquals("b", assertThrows(OptionException.class, () -> new Initializer.Uniform(1, 1)).key());
        assertEquals("std", assertThrows(OptionException.class, () -> new Initializer.Normal(0, -1)).key());
        assertEquals("gain", assertThrows(OptionException.class, () -> new Initializer.XavierNormal(0)).key());
    }

    @Test
    void eachFillsAsItsInitFunction() {
        Tensor a = Tensor.zeros(6, 5);
        Tensor b = Tensor.zeros(6, 5);
        new Initializer.KaimingNormal(0, Init.FanMode.FAN_OUT, Initializer.Nonlinearity.RELU).apply(a, new Rng(4));
        Init.kaimingNormal(b, 0, Init.FanMode.FAN_OUT, "relu", new Rng(4));
        assertArrayEquals(b.toArray(), a.toArray());
        new Initializer.Orthogonal(2).apply(a, new Rng(5));
        Init.orthogonal(b, 2, new Rng(5));
        assertArrayEquals(b.toArray(), a.toArray());
        float[] before = a.toArray();
        Initializer.DEFAULT.apply(a, new Rng(6));
        assertArrayEquals(before, a.toArray(), "default leaves the layer's own weights");
    }
}
