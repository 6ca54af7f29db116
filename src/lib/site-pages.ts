// The notebook pages in reading order. A page is linked only once its Markdown file exists.
export interface SitePage {
  /** Path without extension, relative to src/ (also the URL path). */
  path: string;
  name: string;
  summary: string;
}

export const SITE_PAGES: SitePage[] = [
  { path: "baseline-mlp", name: "Baseline MLP", summary: "Neurons, dead units, selectivity, drift, interventions and embeddings of a 784-32-16-10 MLP." },
  {
    path: "normalized-mlp",
    name: "Normalized MLP",
    summary: "Input normalization, LayerNorm, dropout and a sparsity penalty: do units become more selective?",
  },
  { path: "cnn", name: "CNN", summary: "Channels as units: does a convolutional basis behave differently from an MLP's neurons?" },
  { path: "sae", name: "Sparse autoencoders", summary: "Dictionary learning on hidden activations: L1, KL target-rate and TopK features against neurons." },
  {
    path: "ground-truth",
    name: "Features against ground truth",
    summary:
      "Concepts measured from the pixels; every unit scored against classes and concepts, each SAE against sparsity-matched random controls; planted features.",
  },
  { path: "probes", name: "Probes", summary: "Linear, sparse and SVM probes on neurons, PCA, ICA and SAE codes, per layer." },
];

/** The pages whose source file exists, given a predicate on the relative file name. */
export function existingPages(exists: (file: string) => boolean): SitePage[] {
  return SITE_PAGES.filter((page) => exists(`${page.path}.md`));
}
