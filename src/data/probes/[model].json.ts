import { loaderParam, runLoader } from "../../../data-loaders/run-loader.js";
import { probeResults } from "../../../data-loaders/probes/probe-results.js";

await runLoader(() => probeResults(loaderParam("model")));
