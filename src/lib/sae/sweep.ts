// Which SAEs the build trains on a registry model, as plain JSON derived from the architecture
// alone (no training needed): every ReLU activation gets SAEs; the baseline MLP's layers get the
// full grid (every architecture × dictionary sizes 1x-16x × 2 sparsity settings, and the PCA and
// ICA bases at 4x), every other layer every architecture at 4x with the sparser setting, and the
// dense layer of a model with conv layers also the PCA and ICA runs (it is the one whose neurons
// compare with the MLPs'). The build hashes this JSON into each layer's cache key.
import type { ArchitectureSpec } from "../models/architecture.js";
import type { ModelEntry } from "../models/registry.js";
import { SAE_ARCHITECTURES, type SaeArchitecture, type SaeConfigInput } from "./config.js";
import { architecture as architectureNamed, DEFAULT_LIVE_ARCHITECTURE } from "./architectures/index.js";
import type { SparsityOf } from "./architectures/contract.js";

/**
 * What the SAE reads: the layer's own units, or its activations rotated onto their principal
 * components, or unmixed into independent components (see basis.ts).
 */
export type BasisName = "neurons" | "pca" | "ica";
export const BASIS_NAMES: readonly BasisName[] = ["neurons", "pca", "ica"];

export interface SweepSae {
  /** Readable and stable, e.g. "neurons/topk-x4-k4": "<basis>/<architecture>-x<dictionary multiple>-<sparsity>". */
  id: string;
  basis: BasisName;
  /**
   * dIn is the layer's width; for the ICA basis training replaces it by the number of
   * directions ICA keeps (fit-basis.ts), which is known only once the basis is fitted.
   */
  config: SaeConfigInput;
}

export interface SweepLayer {
  /** The ReLU activation, "relu_1", "relu_2", ... in forward order. */
  layer: string;
  /** A conv ReLU (before the flatten): each position of each image is one sample of its channel vector. */
  spatial: boolean;
  /** Units of a dense layer, channels of a conv layer. */
  width: number;
  saes: SweepSae[];
}

/** Models whose layers get the full grid; the others get the reduced one. */
export const FULL_GRID_MODELS: ReadonlySet<string> = new Set(["baseline-mlp"]);

/** Dictionary sizes as multiples of the layer's width. */
export const DICTIONARY_MULTIPLES = [1, 2, 4, 8, 16] as const;
/** The one size of the reduced grid and of the PCA/ICA runs. */
export const REDUCED_MULTIPLE = 4;

/**
 * What every sweep SAE shares: 1,000 steps of 256 inputs, about 4.3 passes over 60,000 training
 * images. 2,000 steps took the cold sweep from about 3.5 to 7 minutes of both cores here (16x TopK
 * runs at 100-200 steps/s) and raised the baseline's variance explained by 0.01-0.03 for most
 * SAEs, by up to 0.10 for the 8x and 16x L1 ones.
 */
export const SWEEP_TRAINING = { steps: 1000, batchSize: 256 } as const;

/**
 * Each architecture's two settings, the sparser first (the reduced grid's), are in its module
 * (architectures/), picked by training SAEs on the baseline's relu_1 and relu_2 activations. L0 on
 * the test set at 4x, relu_1 / relu_2:
 *   l1 λ 2: 5.9 / 3.6, λ 1: 12.5 / 7.3;  kl ρ 0.05 β 0.1: 3.7 / 1.5, ρ 0.2 β 0.3: 5.5 / 2.3;
 *   topk k 4 and 8 (exactly); batchtopk 3.9 and 7.8-7.9 (on average).
 * L1's L0 grows with the dictionary (2.3-7.9 from 1x to 16x at λ 2); KL's L0 counts sigmoid
 * codes above 0.5 only and falls below 1 at 8x and 16x, where the smaller codes still reconstruct.
 */
export function sparsitySettings(name: SaeArchitecture): readonly [SparsityOf<SaeConfigInput>, SparsityOf<SaeConfigInput>] {
  return architectureNamed(name).sweepSettings as readonly [SparsityOf<SaeConfigInput>, SparsityOf<SaeConfigInput>];
}

function sweepSae(basis: BasisName, architecture: SaeArchitecture, width: number, multiple: number, setting: SparsityOf<SaeConfigInput>): SweepSae {
  const module = architectureNamed(architecture);
  const sparsity = module.fitSparsity(setting, multiple * width);
  const config = { architecture, dIn: width, dSae: multiple * width, ...sparsity, ...SWEEP_TRAINING } as SaeConfigInput;
  return { id: `${basis}/${architecture}-x${multiple}-${module.sparsityTag(sparsity)}`, basis, config };
}

/** The ReLU activations of an architecture, named as the model builder names them (relu_1, relu_2, ...). */
export function reluLayers(spec: ArchitectureSpec): Omit<SweepLayer, "saes">[] {
  const found: Omit<SweepLayer, "saes">[] = [];
  let spatial = false;
  let width = 0;
  for (const layer of spec.layers) {
    switch (layer.type) {
      case "reshape":
        spatial = layer.shape.length === 3;
        width = layer.shape[layer.shape.length - 1];
        break;
      case "conv2d":
        width = layer.filters;
        break;
      case "dense":
        width = layer.units;
        spatial = false;
        break;
      case "flatten":
        spatial = false;
        break;
      case "relu":
        if (width === 0) throw new Error(`saeSweep: relu_${found.length + 1} comes before any dense or conv layer, so it has no width to size SAEs by`);
        found.push({ layer: `relu_${found.length + 1}`, spatial, width });
        break;
    }
  }
  return found;
}

/** The SAE a page shows first: the default architecture's on the neurons, at 4x and its sparser setting ("neurons/topk-x4-k4"). */
export const DEFAULT_SAE_ID = `neurons/${DEFAULT_LIVE_ARCHITECTURE}-x${REDUCED_MULTIPLE}-${architectureNamed(DEFAULT_LIVE_ARCHITECTURE).sparsityTag(sparsitySettings(DEFAULT_LIVE_ARCHITECTURE)[0])}`;

/** Every architecture with what it does, for a page's prose: "l1 (ReLU codes …); kl (…)". */
export const ARCHITECTURE_SUMMARIES = SAE_ARCHITECTURES.map((name) => `${name} (${architectureNamed(name).summary})`).join("; ");

/** Every SAE the build trains on `entry`'s layers, layer by layer in forward order. */
export function saeSweep(entry: ModelEntry): SweepLayer[] {
  const full = FULL_GRID_MODELS.has(entry.name);
  const hasConv = entry.architecture.layers.some((layer) => layer.type === "conv2d");
  return reluLayers(entry.architecture).map(({ layer, spatial, width }) => {
    const saes: SweepSae[] = [];
    for (const architecture of SAE_ARCHITECTURES) {
      const settings = full ? sparsitySettings(architecture) : sparsitySettings(architecture).slice(0, 1);
      const multiples = full ? DICTIONARY_MULTIPLES : [REDUCED_MULTIPLE];
      for (const multiple of multiples) for (const sparsity of settings) saes.push(sweepSae("neurons", architecture, width, multiple, sparsity));
    }
    if (full || (hasConv && !spatial)) {
      for (const basis of ["pca", "ica"] as const) {
        for (const architecture of SAE_ARCHITECTURES) saes.push(sweepSae(basis, architecture, width, REDUCED_MULTIPLE, sparsitySettings(architecture)[0]));
      }
    }
    // A layer narrower than both k settings clamps them to the same SAE: keep one.
    return { layer, spatial, width, saes: saes.filter((sae, i) => saes.findIndex((other) => other.id === sae.id) === i) };
  });
}
