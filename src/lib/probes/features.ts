// What a probe reads, one row per image: the raw pixels, or a hidden layer's activations in one
// basis (the units themselves, PCA, ICA) or as one SAE's codes. A conv layer gives a map of
// channel vectors per image; the SAE and the basis read each position's vector, as they were
// trained to, and the probe gets the spatial mean of each value over the map (global average
// pooling), so that every input is one vector per image. Loaders and pages call this one function.
import type { TF, Tensor, Tensor2D } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { activationInfo, inputSize, type Network } from "../network/network.js";
import { forwardTo, inputRows, uploadNetwork } from "../network/tensor-network.js";
import { uploadBasis, type FittedBasis } from "../sae/basis.js";
import { encodeTensor, uploadSae } from "../sae/encode.js";
import type { SaeWeights } from "../sae/weights.js";

/** The pseudo-layer of the raw pixels (in [0, 1]). */
export const PIXELS = "pixels";

export interface ProbeInputSource {
  /** An activation name of the network ("relu_1"), or PIXELS. */
  layer: string;
  /** The basis the values are expressed in (null: the units themselves). */
  basis: FittedBasis | null;
  /** The SAE whose codes are read (it reads the basis's coordinates when there is a basis). */
  sae: SaeWeights | null;
}

export interface FeatureOptions {
  /** Images per forward pass (default 500). */
  batchSize?: number;
  /** Awaited between batches (a page stays responsive and can cancel by throwing). */
  pause?: () => Promise<void>;
}

/** One row of features per image of `images` (uint8 pixels, `count` images). */
export async function probeFeatures(
  tf: TF,
  network: Network,
  images: Uint8Array,
  count: number,
  source: ProbeInputSource,
  options: FeatureOptions = {},
): Promise<ActivationMatrix> {
  const size = inputSize(network);
  if (images.length !== count * size)
    throw new Error(`probe features: expected ${count} images of ${size} pixels (${count * size} values), found ${images.length} values`);
  if (source.layer === PIXELS) {
    if (source.basis || source.sae) throw new Error("probe features: the pixels are read as they are, with no basis or SAE");
    return { rows: count, cols: size, data: Float32Array.from(images, (v) => v / 255) };
  }
  const info = activationInfo(network, source.layer);
  const positions = info.shape.length === 3 ? info.shape[0] * info.shape[1] : 1;
  const width = source.sae ? source.sae.dSae : source.basis ? source.basis.dIn : info.units;
  if (source.basis && source.basis.dLayer !== info.units)
    throw new Error(`probe features: the ${source.basis.name} basis is for ${source.basis.dLayer} values, ${source.layer} has ${info.units}`);
  const saeInput = source.basis ? source.basis.dIn : info.units;
  if (source.sae && source.sae.dIn !== saeInput)
    throw new Error(
      `probe features: the SAE reads ${source.sae.dIn} values, ${source.layer}${source.basis ? ` in the ${source.basis.name} basis` : ""} gives ${saeInput}`,
    );
  const batchSize = options.batchSize ?? 500;
  const model = uploadNetwork(tf, network);
  const basis = source.basis ? uploadBasis(tf, source.basis) : null;
  const sae = source.sae ? uploadSae(tf, source.sae) : null;
  const out = new Float32Array(count * width);
  try {
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      const features = tf.tidy(() => {
        const activation: Tensor = forwardTo(tf, model, inputRows(tf, images, start, rows, size, 1 / 255), source.layer);
        let values = tf.reshape(activation, [rows * positions, info.units]) as Tensor2D;
        if (basis) values = basis.toBasis(values);
        if (sae) values = encodeTensor(tf, sae, values);
        return positions === 1 ? values : tf.mean(tf.reshape(values, [rows, positions, width]), 1);
      });
      out.set(await features.data(), start * width);
      features.dispose();
      await options.pause?.();
    }
  } finally {
    model.dispose();
    basis?.dispose();
    sae?.dispose();
  }
  return { rows: count, cols: width, data: out };
}
