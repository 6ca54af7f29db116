// How every probe on the site is trained and scored: one setup, used by the build and by the
// page's live re-run, and written into each model's probes.json so that a reader can redo it.
import { deriveSeed } from "../random.js";

export const PROBE_SETUP = {
  /** The probes train on the pages' training sample (data/train-sample.bin) and are scored on all test images. */
  train: "the 10,000 seeded training images of data/train-sample.bin",
  test: "all 10,000 test images",
  /** Every input is standardized with its training rows' mean and standard deviation (a constant column becomes 0). */
  standardize: true,
  logistic: {
    /** objective: mean cross-entropy + (l2 / 2) · Σ W² (the biases are not penalized) */
    l2: 1e-3,
    maxIterations: 200,
    /** L-BFGS stops when the largest gradient component is at most this */
    tolerance: 1e-5,
  },
  svm: {
    /** ½‖w‖² + C Σ hinge, one-vs-rest; C = 1 / (n · l2) with n = 10,000, the logistic probe's regularization */
    c: 0.1,
    /** Dual coordinate descent stops at LIBLINEAR's default gap (0.1) or after 20 epochs, whichever comes first. */
    maxEpochs: 20,
    tolerance: 0.1,
    seed: 1,
  },
  control: {
    /** Hewitt–Liang control task: k-means clusters of the training sample's pixels, each cluster a random digit. */
    clusters: 100,
    iterations: 20,
    seed: 13,
  },
  /** Sparse probes keep the k columns with the largest one-way ANOVA F statistic on the training rows. */
  sparseRule: "ANOVA F",
  /** A conv layer's map becomes one vector per image: each channel's (or code's) mean over positions. */
  pooling: "spatial mean",
} as const;

/** The seed of the k-means initialisation and the one that draws the clusters' labels. */
export const controlSeeds = () => ({ kMeans: deriveSeed(PROBE_SETUP.control.seed, 0), labels: deriveSeed(PROBE_SETUP.control.seed, 1) });
