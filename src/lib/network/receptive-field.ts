// Which input pixels a unit of a spatial map can see: its receptive field, found by walking back
// from the unit through every conv and pool window to the input image. Element-wise layers (ReLU,
// LayerNorm over channels, dropout) keep positions; a dense or flatten layer sees everything.
import { layerOutputShapes, activationInfo, type Network, type NetworkLayer } from "./network.js";

/** Inclusive pixel bounds in the input image. */
export interface PixelBox {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** The padding TensorFlow adds before the first row (or column) for "same" padding. */
function paddingBefore(input: number, output: number, kernel: number, stride: number, padding: "valid" | "same"): number {
  if (padding === "valid") return 0;
  return Math.floor(Math.max((output - 1) * stride + kernel - input, 0) / 2);
}

function windowOf(layer: NetworkLayer): { kernel: [number, number]; strides: [number, number]; padding: "valid" | "same" } | null {
  if (layer.kind === "conv2d") return { kernel: layer.kernelSize, strides: layer.strides, padding: layer.padding };
  if (layer.kind === "maxpool") return { kernel: layer.poolSize, strides: layer.strides, padding: layer.padding };
  return null;
}

/**
 * The input pixels that can influence position [row, col] of activation `name` (a map of shape
 * [height, width, channels]). The network's input must be an image: either [h, w, c] or a flat
 * vector reshaped to one by a reshape layer before the first conv. Bounds are clipped to the image.
 */
export function receptiveField(network: Network, name: string, position: [number, number]): PixelBox {
  const info = activationInfo(network, name);
  if (info.shape.length !== 3) throw new Error(`receptiveField: ${name} is not a spatial map (its shape is [${info.shape.join(", ")}])`);
  const [row, col] = position;
  if (!Number.isInteger(row) || !Number.isInteger(col) || row < 0 || col < 0 || row >= info.shape[0] || col >= info.shape[1]) {
    throw new Error(`receptiveField: position [${row}, ${col}] is outside ${name}'s ${info.shape[0]}×${info.shape[1]} map`);
  }
  const shapes = layerOutputShapes(network.inputShape, network.layers);
  let box: PixelBox = { top: row, left: col, bottom: row, right: col };
  let imageShape: number[] | null = null;
  for (let index = info.layerIndex; index >= 0; index--) {
    const layer = network.layers[index];
    const input = index === 0 ? network.inputShape : shapes[index - 1];
    if (layer.kind === "reshape") {
      imageShape = layer.shape;
      break;
    }
    if (layer.kind === "dense" || layer.kind === "flatten")
      throw new Error(`receptiveField: ${name} comes after ${layer.kind} layer "${layer.name}", which mixes every position`);
    const window = windowOf(layer);
    if (!window) continue;
    const output = shapes[index];
    const padTop = paddingBefore(input[0], output[0], window.kernel[0], window.strides[0], window.padding);
    const padLeft = paddingBefore(input[1], output[1], window.kernel[1], window.strides[1], window.padding);
    box = {
      top: box.top * window.strides[0] - padTop,
      left: box.left * window.strides[1] - padLeft,
      bottom: box.bottom * window.strides[0] - padTop + window.kernel[0] - 1,
      right: box.right * window.strides[1] - padLeft + window.kernel[1] - 1,
    };
  }
  imageShape ??= network.inputShape;
  if (imageShape.length !== 3) throw new Error(`receptiveField: the network's input is not an image (shape [${imageShape.join(", ")}])`);
  return {
    top: Math.max(0, box.top),
    left: Math.max(0, box.left),
    bottom: Math.min(imageShape[0] - 1, box.bottom),
    right: Math.min(imageShape[1] - 1, box.right),
  };
}
