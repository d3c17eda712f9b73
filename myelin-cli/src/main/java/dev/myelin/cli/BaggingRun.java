package dev.myelin.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.report.ReportPage;
import dev.myelin.cli.report.RunRecord;
import dev.myelin.cli.run.Checkpoint;
import dev.myelin.cli.run.ModelTraining;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.cli.run.RunSummary;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Ensemble;
import dev.myelin.nn.Module;
import dev.myelin.tensor.Rng;
import dev.myelin.train.Bagging;
import dev.myelin.train.Evaluation;
import dev.myelin.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code myelin train} with {@code ensemble: {members: K}}: bagging (Breiman 1996). Member k
 * trains on a bootstrap sample of the training split drawn from {@code rng.split("bag" + k)}
 * (its initialization, dropout, shuffling and augmentation streams are split off the same stream) into
 * {@code members/<k>/} (metrics.csv, model.safetensors); the validation and test splits are
 * shared. The ensemble averages the members' predicted probabilities; summary.json holds its
 * test figures and each member's.
 */
final class BaggingRun {
    /** The folder of the members' checkpoints inside the run folder. */
    static final String MEMBERS = RunFolder.MEMBERS;

    private BaggingRun() {
    }

    static int run(RunConfig c, PreparedData d, Rng root, Path dir, Main main) throws IOException {
        PrintStream out = main.out();
        int k = c.ensemble().members();
        List<ModelTraining.Result> results = new ArrayList<>();
        for (int m = 0; m < k; m++) {
            Rng streams = Bagging.memberRng(root, m);
            int[] drawn = Bagging.bootstrapIndices(d.train().size(), streams);
            ArrayDataset sample = ArrayDataset.copyOf(d.train()).subset(drawn);
            out.printf(Locale.ROOT, "member %d/%d: bootstrap sample of %d training samples (%d distinct)%n", m + 1, k,
                    sample.size(), Arrays.stream(drawn).distinct().count());
            Path memberDir = Files.createDirectories(dir.resolve(MEMBERS).resolve(Integer.toString(m)));
            ModelTraining.Result r = ModelTraining.run(c, d, sample, streams, memberDir, main.out(), main.isConsole());
            results.add(r);
            if (r.history().diverged()) {
                return diverged(main, memberDir, m, r);
            }
            out.println("member " + (m + 1) + ": " + RunSummary.testLine(r.test())
                    + (r.history().stopReason() != null ? " (" + r.history().stopReason() + ")" : ""));
        }
        List<Module> members = results.stream().map(r -> (Module) r.model()).toList();
        Ensemble ensemble = new Ensemble(members, c.loss().ensembleOutput());
        Evaluation test = new Trainer(ensemble, c.loss().create())
                .evaluate(new DataLoader(d.test(), c.batchSize()));
        RunSummary.write(dir, summary(c, d, ensemble, test, results));
        List<RunRecord> memberRuns = new ArrayList<>();
        for (int m = 0; m < k; m++) {
            memberRuns.add(RunRecord.read(dir.resolve(MEMBERS).resolve(Integer.toString(m))));
        }
        ReportPage.write(dir.resolve(ReportPage.FILE), c.name() + ": ensemble of " + k + " members", memberRuns, null);
        out.println("ensemble of " + k + " members: " + RunSummary.testLine(test));
        out.println("run folder: " + dir);
        out.println("report: " + dir.resolve(ReportPage.FILE) + " (the members' curves and summaries)");
        return 0;
    }

    private static ObjectNode summary(RunConfig c, PreparedData d, Ensemble ensemble, Evaluation test,
                                      List<ModelTraining.Result> results) {
        ObjectNode s = RunSummary.of(c);
        RunSummary.number(s, "test_accuracy", test.accuracy());
        RunSummary.number(s, "test_loss", test.loss());
        ObjectNode e = s.putObject("ensemble");
        e.put("members", results.size());
        RunSummary.number(e, "mean_member_test_accuracy",
                results.stream().mapToDouble(r -> r.test().accuracy()).average().orElse(Double.NaN));
        RunSummary.number(e, "mean_member_test_loss",
                results.stream().mapToDouble(r -> r.test().loss()).average().orElse(Double.NaN));
        ArrayNode list = s.putArray("members");
        for (int m = 0; m < results.size(); m++) {
            ObjectNode o = list.addObject().put("member", m).put("checkpoint", MEMBERS + "/" + m + "/" + Checkpoint.FILE_NAME);
            RunSummary.putRun(o, results.get(m), c);
        }
        s.put("wall_seconds", results.stream().mapToDouble(ModelTraining.Result::wallSeconds).sum());
        RunSummary.putEnvironment(s, c, d, ensemble);
        return s;
    }

    private static int diverged(Main main, Path memberDir, int m, ModelTraining.Result r) {
        main.err().println("myelin: training of member " + (m + 1) + " stopped: " + r.history().stopReason());
        main.err().println("myelin: the ensemble is incomplete; its members so far are in " + memberDir.getParent());
        return TrainCommand.DIVERGED;
    }
}
