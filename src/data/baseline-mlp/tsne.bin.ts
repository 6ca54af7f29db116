import { runLoader } from "../../../data-loaders/run-loader.js";
import { tsneFile } from "../../../data-loaders/models/tsne-embedding.js";
import { BASELINE_MLP } from "../../../data-loaders/models/baseline-mlp.js";

await runLoader(() => tsneFile(BASELINE_MLP));
