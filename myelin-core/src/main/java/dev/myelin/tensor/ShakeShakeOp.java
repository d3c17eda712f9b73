package dev.myelin.tensor;

import java.util.Arrays;

/**
 * The shake-shake mixing op (Gastaldi 2017, "Shake-Shake regularization", arXiv:1705.07485;
 * going-deeper.md): the forward pass mixes two residual branches with α, the backward pass
 * splits the gradient between them with an independent β:
 * <pre>
 * forward:  y = α ⊙ a + (1 − α) ⊙ b
 * backward: ∂L/∂a = β ⊙ ∂L/∂y,   ∂L/∂b = (1 − β) ⊙ ∂L/∂y
 * </pre>
 * so the gradient is deliberately not the derivative of the forward pass unless α = β. α and
 * β are constants (no gradient), broadcast against a and b: shape {@code [N, 1, ...]} for
 * per-sample draws ("image" level, the paper's best CIFAR-10 variant) or {@code [1]} for one
 * draw per batch. The backward rule is written with tensor ops, so it is differentiable.
 */
public final class ShakeShakeOp {
    private ShakeShakeOp() {
    }

    /**
     * α ⊙ a + (1 − α) ⊙ b forward, β and 1 − β backward.
     *
     * @throws IllegalArgumentException when a and b differ in shape
     */
    public static Tensor mix(Tensor a, Tensor b, Tensor alpha, Tensor beta) {
        if (!Arrays.equals(a.shape, b.shape)) {
            throw new IllegalArgumentException("shake-shake: expected both branches to give the same shape, received "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        Tensor out;
        try (GradMode.Scope s = GradMode.noGrad()) {
            out = a.mul(alpha).add(b.mul(alpha.neg().add(1f)));
        }
        Tensor betaC = beta.detach();
        return out.record(Op.SHAKE_SHAKE, g -> new Tensor[] {
            g.mul(betaC).sumTo(a.shape),
            g.mul(betaC.neg().add(1f)).sumTo(b.shape)}, a, b);
    }
}
