import { loaderParam, runLoader } from "../../../data-loaders/run-loader.js";
import { groundTruthResults } from "../../../data-loaders/ground-truth/ground-truth-results.js";

await runLoader(() => groundTruthResults(loaderParam("model")));
