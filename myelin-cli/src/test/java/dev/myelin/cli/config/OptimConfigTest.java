package dev.myelin.cli.config;

import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.optim.OptimizerConfig;
import dev.myelin.model.bind.ConfigException;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adadelta;
import dev.myelin.optim.Adagrad;
import dev.myelin.optim.Adam;
import dev.myelin.optim.AdamW;
import dev.myelin.optim.NAdam;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.RmsProp;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Rng;
import dev.myelin.train.LrScheduler;
import dev.myelin.train.PlateauScheduler;
import dev.myelin.optim.schedule.LrSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizer, schedule and clip sections of the config: every optimizer by name with
 * PyTorch's defaults, param_groups by layer, schedules with warm-up and plateau, clipping, the
 * errors, and a training run whose metrics.csv shows the scheduled lr and the gradient norm.
 */
class OptimConfigTest {
    @TempDir
    Path dir;

    private RunConfig load(String yaml) throws IOException {
        return ConfigLoader.load(Cli.write(dir, "exp.yaml", yaml), List.of(), null);
    }

    private String withSection(String section) {
        return Cli.discConfig().replace("optimizer: {name: sgd, lr: 0.1, momentum: 0.9}\n", section);
    }

    private ConfigException error(String section) {
        return assertThrows(ConfigException.class, () -> load(withSection(section)));
    }

    private static Sequential model() {
        Rng rng = new Rng(0);
        return new Sequential(new Linear(2, 16, rng.split("a")), new dev.myelin.nn.BatchNorm1d(16),
                dev.myelin.nn.Activation.relu(), new dev.myelin.nn.Dropout(0.1, rng.split("d")),
                new Linear(16, 2, rng.split("b")));
    }

    @Test
    void everyOptimizerByNameWithPyTorchDefaults() throws IOException {
        Map<String, Class<?>> classes = Map.of("sgd", Sgd.class, "adam", Adam.class, "adamw", AdamW.class,
                "nadam", NAdam.class, "adagrad", Adagrad.class, "adadelta", Adadelta.class, "rmsprop", RmsProp.class);
        assertEquals(classes.keySet(), new java.util.HashSet<>(OptimizerConfig.NAMES));
        Map<String, Double> lrs = Map.of("adam", 1e-3, "adamw", 1e-3, "nadam", 2e-3, "adagrad", 1e-2, "adadelta", 1.0,
                "rmsprop", 1e-2);
        for (String name : OptimizerConfig.NAMES) {
            String opt = name.equals("sgd") ? "{name: sgd, lr: 0.1}" : name;
            RunConfig c = load(withSection("optimizer: " + opt + "\n"));
            Optimizer o = c.optimizer().create(model(), c.source());
            assertInstanceOf(classes.get(name), o, name);
            assertEquals(lrs.getOrDefault(name, 0.1), o.lr(), name);
        }
        RunConfig c = load(withSection("optimizer: adamw\n"));
        assertEquals(0.01, ((AdamW) c.optimizer().create(model(), c.source())).options().weightDecay());
    }

    @Test
    void paramGroupsByLayerInheritTheOtherOptions() throws IOException {
        RunConfig c = load(withSection("""
                optimizer:
                  name: rmsprop
                  lr: 0.01
                  momentum: 0.5
                  param_groups:
                    - {layers: [0, 1], lr: 0.001, weight_decay: 0.1}
                """));
        RmsProp o = (RmsProp) c.optimizer().create(model(), c.source());
        assertEquals(2, o.groupCount());
        assertEquals(0.01, o.lr(0));
        assertEquals(0.001, o.lr(1));
        assertEquals(2, o.params(0).size(), "layer 4's weight and bias form the first group");
        assertEquals(4, o.params(1).size(), "linear 0 and batchnorm 1: two tensors each");
        assertEquals(0.1, o.options(1).weightDecay());
        assertEquals(0.5, o.options(1).momentum(), "inherited");
        RunConfig again = ConfigLoader.load(Cli.write(dir, "again.yaml", ConfigLoader.toYaml(c)), List.of(), null);
        assertEquals(c.toTree(), again.toTree());
    }

    @Test
    void paramGroupErrorsNameTheField() throws IOException {
        assertTrue(error("optimizer: {name: adam, param_groups: [{layers: [7]}]}\n").getMessage()
                .contains("field 'optimizer.param_groups[0].layers[0]': expected a layer index in [0, 4]"));
        assertTrue(error("optimizer: {name: adam, param_groups: [{layers: [0]}, {layers: [1, 0]}]}\n").getMessage()
                .contains("field 'optimizer.param_groups[1].layers[1]': expected a layer in one parameter group only"));
        assertTrue(error("optimizer: {name: adam, param_groups: [{layers: [0], lrr: 0.1}]}\n").getMessage()
                .contains("Did you mean 'lr'?"));
        RunConfig c = load(withSection("optimizer: {name: adam, param_groups: [{layers: [2, 3]}]}\n"));
        ConfigException e = assertThrows(ConfigException.class, () -> c.optimizer().create(model(), c.source()));
        assertTrue(e.getMessage().contains("field 'optimizer.param_groups[0].layers'"), e.getMessage());
        assertTrue(e.getMessage().contains("which have none"), e.getMessage());
    }

    @Test
    void schedulesWithUnitsAndWarmup() throws IOException {
        RunConfig c = load(withSection("optimizer: adam\nschedule: {name: cosine, t_max: 10, warmup: {length: 2}}\n"));
        LrScheduler s = assertInstanceOf(LrScheduler.class, c.schedule().create());
        assertEquals(LrSchedule.Unit.EPOCH, s.unit());
        assertEquals(0.1e-3, s.schedule().at(1e-3, 0), 1e-15, "warm-up starts at start_factor 0.1");
        assertEquals(1e-3, s.schedule().at(1e-3, 2), 1e-15, "cosine starts after the warm-up");
        c = load(withSection("optimizer: adam\nschedule: {name: exponential, s: 100}\n"));
        assertEquals(LrSchedule.Unit.STEP, ((LrScheduler) c.schedule().create()).unit(), "the lecture counts iterations");
        c = load(withSection("optimizer: adam\nschedule: {name: plateau, patience: 2}\n"));
        assertInstanceOf(PlateauScheduler.class, c.schedule().create());
        assertEquals(LrSchedule.Unit.EPOCH, c.schedule().timing().every());
    }

    @Test
    void multistepAndOneCycleFromYaml() throws IOException {
        RunConfig c = load(withSection("optimizer: adam\nschedule: {name: multistep, milestones: [2, 5], gamma: 0.5}\n"));
        LrScheduler s = (LrScheduler) c.schedule().create();
        assertEquals(LrSchedule.Unit.EPOCH, s.unit());
        assertEquals(0.25e-3, s.schedule().at(1e-3, 5), 1e-15);
        c = load(withSection("optimizer: adam\nschedule: {name: onecycle, total_steps: 100, anneal: linear}\n"));
        s = (LrScheduler) c.schedule().create();
        assertEquals(LrSchedule.Unit.STEP, s.unit(), "1cycle steps after every batch, as torch's");
        assertEquals(1e-3, s.schedule().at(1e-3, 29), 1e-15, "max_lr 0 peaks at the optimizer's lr");
        assertEquals(c.toTree(), ConfigLoader.fromJson(ConfigLoader.toJson(c), "x", "x").toTree());
        assertTrue(error("schedule: {name: onecycle}\n").getMessage().contains("field 'schedule.total_steps'"));
        assertTrue(error("schedule: {name: onecycle, total_steps: 10, anneal: lienar}\n").getMessage()
                .contains("Did you mean 'linear'?"));
        assertTrue(error("schedule: {name: multistep, milestones: []}\n").getMessage().contains("field 'schedule.milestones'"));
    }

    @Test
    void scheduleErrors() {
        assertTrue(error("schedule: {name: cosin}\n").getMessage().contains("Did you mean 'cosine'?"));
        assertTrue(error("schedule: {name: cosine}\n").getMessage().contains("field 'schedule.t_max'"));
        assertTrue(error("schedule: {name: step, step_size: 5, gamma: 2}\n").getMessage()
                .contains("field 'schedule.gamma': expected a number in (0, 1]"));
        assertTrue(error("schedule: {name: plateau, every: step}\n").getMessage().contains("field 'schedule.every'"));
        String noVal = Cli.discConfig().replace("  validation: 0.2\n", "") + "schedule: plateau\n";
        ConfigException e = assertThrows(ConfigException.class, () -> load(noVal));
        assertTrue(e.getMessage().contains("field 'schedule.monitor'") && e.getMessage().contains("Set data.validation"),
                e.getMessage());
    }

    @Test
    void clipSection() throws IOException {
        RunConfig c = load(withSection("optimizer: adam\nclip: {norm: 1.0, norm_type: inf}\n"));
        assertEquals(new dev.myelin.optim.GradClipping.ByNorm(1.0, Double.POSITIVE_INFINITY, false, true), c.clip().rule());
        assertEquals(c.toTree(), ConfigLoader.fromJson(ConfigLoader.toJson(c), "x", "x").toTree());
        assertEquals(new dev.myelin.optim.GradClipping.ByValue(0.5),
                load(withSection("optimizer: adam\nclip: {value: 0.5}\n")).clip().rule());
        assertEquals(null, load(withSection("optimizer: adam\nclip: {}\n")).clip().rule());
        assertTrue(error("clip: {norm: 1, norm_type: 0.5}\n").getMessage().contains("field 'clip.norm_type': expected a number >= 1 or inf"));
        assertTrue(error("clip: {norm: 1, value: 1}\n").getMessage().contains("field 'clip.value': expected either norm or value"));
        assertTrue(error("clip: {value: 1, per_parameter: true}\n").getMessage().contains("field 'clip.per_parameter'"));
        assertTrue(error("clip: {norm: -1}\n").getMessage().contains("field 'clip.norm': expected a number > 0"));
    }

    @Test
    void trainingLogsTheScheduledLrAndTheGradientNorm() throws IOException {
        Path cfg = Cli.write(dir, "exp.yaml", Cli.discConfig().replace("epochs: 2", "epochs: 3")
                + "schedule: {name: step, step_size: 1, gamma: 0.5}\nclip: {norm: 0.5}\n");
        Path out = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(lines.get(0).endsWith(",grad_norm_mean,grad_norm_max"), lines.get(0));
        for (int e = 1; e <= 3; e++) {
            String[] f = lines.get(e).split(",");
            assertEquals(0.1 * Math.pow(0.5, e - 1), Double.parseDouble(f[2]), 1e-12, "lr of epoch " + e);
            assertTrue(Double.parseDouble(f[f.length - 1]) >= Double.parseDouble(f[f.length - 2]), lines.get(e));
        }
        String resolved = Files.readString(out.resolve("config.yaml"));
        assertTrue(resolved.contains("every: epoch") && resolved.contains("error_if_nonfinite: true"), resolved);
    }
}
