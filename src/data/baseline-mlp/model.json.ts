import { runLoader } from "../../../data-loaders/run-loader.js";
import { trainedMlpFile } from "../../../data-loaders/models/trained-mlp.js";
import { BASELINE_MLP } from "../../../data-loaders/models/baseline-mlp.js";

await runLoader(() => trainedMlpFile(BASELINE_MLP, "model.json"));
