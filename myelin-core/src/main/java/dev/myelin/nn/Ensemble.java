package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Model averaging ("Deep Feedforward Networks" (Strojové učení II), "Bagging"; Breiman 1996, "Bagging predictors"):
 * K members, trained apart, whose predicted probabilities are averaged. Its output is chosen so
 * that the usual losses and the accuracy read the averaged prediction:
 * <pre>
 * CLASSES (softmax members):  y = ln((1/K) Σ_k softmax(f_k(x)))  = logsumexp_k(log_softmax(f_k(x))) − ln K
 *                             softmax(y) = the mean probabilities, so cross-entropy on y is −ln p̄_y
 * BINARY (one logit each):    y = ln p̄ − ln(1 − p̄),  p̄ = (1/K) Σ_k σ(f_k(x))   (σ(y) = p̄)
 * VALUES (regression):        y = (1/K) Σ_k f_k(x)
 * </pre>
 * computed in the log domain (ln σ(z) = −softplus(−z)), so saturated members stay finite. The
 * members are children "0", "1", ... (state-dict keys {@code k.<member key>}).
 * Shape: as the members' output.
 */
public final class Ensemble extends Module {
    /** How the members' outputs are averaged. */
    public enum Output { CLASSES, BINARY, VALUES }

    /** How many members an ensemble trains: {@code members} K, at least 2 (required). */
    public record Options(int members) {
        public Options {
            dev.myelin.options.Check.atLeast("members", members, 2);
        }

        public static Options of(int members) {
            return new Options(members);
        }
    }

    private final List<Module> members;
    private final Output output;

    public Ensemble(List<? extends Module> members, Output output) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("Ensemble: expected at least one member, got none");
        }
        this.members = List.copyOf(members);
        this.output = output;
        for (int i = 0; i < this.members.size(); i++) {
            child(Integer.toString(i), this.members.get(i));
        }
    }

    public List<Module> members() {
        return members;
    }

    public Output output() {
        return output;
    }

    @Override
    public Tensor forward(Tensor x) {
        List<Tensor> outs = new ArrayList<>(members.size());
        for (Module m : members) {
            outs.add(m.forward(x));
        }
        float logK = (float) Math.log(members.size());
        return switch (output) {
            case CLASSES -> logMeanExp(outs, o -> o.logSoftmax(o.dim() - 1), logK);
            case BINARY -> logMeanExp(outs, o -> o.neg().softplus(1f, 20f).neg(), logK)
                    .sub(logMeanExp(outs, o -> o.softplus(1f, 20f).neg(), logK));
            case VALUES -> stack(outs, o -> o).mean(0, false);
        };
    }

    /** ln((1/K) Σ_k exp(g(o_k))), element-wise over the members' outputs. */
    private static Tensor logMeanExp(List<Tensor> outs, java.util.function.UnaryOperator<Tensor> g, float logK) {
        return stack(outs, g).logsumexp(0, false).sub(logK);
    }

    /** [K, ...]: g applied to each member's output, stacked along a new first axis. */
    private static Tensor stack(List<Tensor> outs, java.util.function.UnaryOperator<Tensor> g) {
        List<Tensor> parts = new ArrayList<>(outs.size());
        for (Tensor o : outs) {
            Tensor v = g.apply(o);
            int[] shape = new int[v.dim() + 1];
            shape[0] = 1;
            System.arraycopy(v.shape(), 0, shape, 1, v.dim());
            parts.add(v.reshape(shape));
        }
        return Tensor.concat(parts, 0);
    }

    @Override
    public String toString() {
        return "Ensemble(" + members.size() + " members, " + output + ")";
    }
}
