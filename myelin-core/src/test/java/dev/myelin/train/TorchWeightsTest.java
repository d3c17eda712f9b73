package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.Golden;
import dev.myelin.nn.Activation;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Linear;
import dev.myelin.nn.LoadReport;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.WeightTransfer;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights trained in PyTorch come in: a {@code state_dict} saved with safetensors (num_batches_tracked as I64)
 * loads strictly into the same architecture, and in eval mode the model gives PyTorch's logits.
 */
class TorchWeightsTest {
    @TempDir
    Path dir;

    @Test
    void aPyTorchTrainedModelLoadsStrictlyAndPredictsAsPyTorchDoes() throws IOException {
        Golden g = Golden.load("torch_trained.json");
        Path file = dir.resolve("model.safetensors");
        try (InputStream in = TorchWeightsTest.class.getResourceAsStream("/golden/torch_trained.safetensors")) {
            Files.copy(in, file);
        }
        Rng rng = new Rng(7);
        Sequential model = new Sequential(new Linear(4, 8, rng), new BatchNorm1d(8), Activation.relu(),
                new Dropout(0.2, rng), new Linear(8, 3, rng));

        LoadReport report = WeightTransfer.load(model, FineTuning.weights(file), WeightTransfer.Options.defaults());
        model.eval();
        Tensor logits = model.forward(g.get("inputs").tensor());

        assertTrue(report.complete(), report.describe());
        assertEquals(9, report.loaded().size(), report.describe()); // 2 + 5 (with num_batches_tracked) + 2
        assertEquals(g.get("num_batches_tracked").asLong(),
                (long) model.stateDict().get("1.num_batches_tracked").data()[0]);
        g.tolerance().assertClose("logits", g.get("logits").tensor(), logits);
    }
}
