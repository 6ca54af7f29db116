// src/lib never imports tfjs at run time: the browser gets tfjs from the vendor bundle and
// Node from node_modules, so modules here take the `tf` namespace as an argument.
export type TF = typeof import("@tensorflow/tfjs");
export type Tensor = import("@tensorflow/tfjs").Tensor;
export type Tensor2D = import("@tensorflow/tfjs").Tensor2D;
export type LayersModel = import("@tensorflow/tfjs").LayersModel;
