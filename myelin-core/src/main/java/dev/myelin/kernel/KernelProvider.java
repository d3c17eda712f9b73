package dev.myelin.kernel;

import java.util.logging.Logger;

/**
 * Chooses the kernels once per process: {@link VectorKernels} when the {@code
 * jdk.incubator.vector} module is present and the CPU has at least 256-bit vectors, otherwise
 * {@link ScalarKernels} with one logged line that says why and what to do.
 * {@code -Dmyelin.kernels=scalar} forces the reference kernels.
 */
public final class KernelProvider {
    private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());
    private static final Kernels INSTANCE = choose();

    private KernelProvider() {
    }

    /** The kernels this process uses. */
    public static Kernels get() {
        return INSTANCE;
    }

    private static Kernels choose() {
        if ("scalar".equalsIgnoreCase(System.getProperty("myelin.kernels"))) {
            LOG.info("myelin: scalar kernels (forced by -Dmyelin.kernels=scalar)");
            return new ScalarKernels();
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.warning("myelin: Vector API not enabled, using the slower scalar kernels; "
                    + "run java with --add-modules jdk.incubator.vector (bin/myelin does)");
            return new ScalarKernels();
        }
        try {
            Class<?> c = Class.forName("dev.myelin.kernel.VectorKernels");
            Kernels k = (Kernels) c.getMethod("createIfSupported").invoke(null);
            if (k != null) {
                return k;
            }
            LOG.warning("myelin: the CPU's preferred vector width is under 256 bits; using the scalar kernels");
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warning("myelin: Vector API kernels failed to load (" + e + "); using the scalar kernels");
        }
        return new ScalarKernels();
    }
}
