package dev.myelin.model.bind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.myelin.options.Check;
import dev.myelin.options.Size2;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinderTest {
    enum Mode { FAN_IN, FAN_OUT }

    /** All options optional. */
    public record Norm(double eps, double momentum, boolean trackRunningStats, Mode mode, List<Integer> sizes) {
        public Norm {
            Check.positive("eps", eps);
            Check.fraction("momentum", momentum);
            sizes = List.copyOf(sizes);
        }

        public static Norm defaults() {
            return new Norm(1e-5, 0.1, true, Mode.FAN_IN, List.of(1, 2));
        }
    }

    /** {@code out} and {@code kernel} required, a nested record. */
    public record Conv(int out, Size2 kernel, Size2 stride, Norm norm) {
        public Conv {
            Check.atLeast("out", out, 1);
            kernel.atLeast("kernel", 1);
        }

        public static Conv of(int out, Size2 kernel) {
            return new Conv(out, kernel, Size2.of(1), Norm.defaults());
        }
    }

    private static final Binder BINDER = new Binder().with(Size2.class, new Size2Codec());
    private static final YAMLMapper YAML = new YAMLMapper();

    private static JsonNode yaml(String text) throws Exception {
        return YAML.readTree(text);
    }

    private static <R extends Record> R read(Class<R> type, String text) throws Exception {
        return BINDER.read(type, new Source("c.yaml"), "model[0].x", yaml(text), "x: {}");
    }

    private static String error(Class<? extends Record> type, String text) {
        return assertThrows(ConfigException.class, () -> read(type, text)).getMessage();
    }

    @Test
    void missingKeysTakeTheRecordsDefaults() throws Exception {
        assertEquals(Norm.defaults(), read(Norm.class, "{}"));
        assertEquals(Norm.defaults(), BINDER.read(Norm.class, new Source("c"), "", null, ""));
        assertEquals(new Norm(1e-3, 0.1, false, Mode.FAN_OUT, List.of(3)),
                read(Norm.class, "{eps: 1e-3, track_running_stats: false, mode: fan_out, sizes: [3]}"));
    }

    @Test
    void requiredOptionsComeFromOfAndTheRestFromItsDefaults() throws Exception {
        Conv c = read(Conv.class, "{out: 8, kernel: [3, 1], norm: {eps: 0.5}}");
        assertEquals(new Conv(8, new Size2(3, 1), Size2.of(1), new Norm(0.5, 0.1, true, Mode.FAN_IN, List.of(1, 2))), c);
        String e = error(Conv.class, "{kernel: 3}");
        assertTrue(e.startsWith("c.yaml: field 'model[0].x.out': expected an integer, found nothing"), e);
    }

    @Test
    void writingThenReadingGivesTheSameRecord() throws Exception {
        Conv c = new Conv(4, new Size2(5, 3), Size2.of(2), new Norm(0.25, 0.5, false, Mode.FAN_OUT, List.of(7)));
        JsonNode tree = BINDER.write(c);
        assertEquals("{\"out\":4,\"kernel\":[5,3],\"stride\":2,\"norm\":{\"eps\":0.25,\"momentum\":0.5,"
                + "\"track_running_stats\":false,\"mode\":\"fan_out\",\"sizes\":[7]}}", tree.toString());
        assertEquals(c, BINDER.read(Conv.class, new Source("c"), "", tree, ""));
    }

    @Test
    void errorsNameTheFieldWhatWasExpectedAndWhatWasFound() {
        assertEquals("c.yaml: field 'model[0].x.eps': expected a number > 0, found -1.0. Write e.g. eps: 1.0E-5",
                error(Norm.class, "{eps: -1}"));
        assertEquals("c.yaml: field 'model[0].x.momentum': expected a number, found \"lots\" (a string). Write e.g."
                + " momentum: 0.1", error(Norm.class, "{momentum: lots}"));
        assertTrue(error(Norm.class, "{epss: 1}").contains("field 'model[0].x.epss': expected a known key of"
                + " 'model[0].x' (eps, momentum, track_running_stats, mode, sizes), found unknown key 'epss'."
                + " Did you mean 'eps'?"));
        assertTrue(error(Norm.class, "{mode: fan_inn}").contains("expected one of fan_in, fan_out, found \"fan_inn\""
                + " (a string). Did you mean 'fan_in'?"));
        assertTrue(error(Norm.class, "{track_running_stats: 1}").contains("expected true or false, found 1 (a number)"));
        assertTrue(error(Conv.class, "{out: 2, kernel: 2.5}").contains("field 'model[0].x.kernel': expected an integer"
                + " or a list [height, width] of integers, found 2.5 (a number)"));
        assertTrue(error(Conv.class, "{out: 0, kernel: 3}").contains("field 'model[0].x.out': expected a positive"
                + " integer, found 0"));
        assertTrue(error(Conv.class, "{out: 2, kernel: 3, norm: {sizes: [1, x]}}").contains(
                "field 'model[0].x.norm.sizes[1]': expected an integer, found \"x\" (a string)"));
        assertTrue(error(Norm.class, "[1, 2]").contains("expected a mapping of settings (eps, momentum,"));
    }

    @Test
    void keysAreSnakeCase() {
        assertEquals("track_running_stats", Binder.key("trackRunningStats"));
        assertEquals("beta1", Binder.key("beta1"));
        assertEquals("lr", Binder.key("lr"));
    }
}
