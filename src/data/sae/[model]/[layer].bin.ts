import { loaderParam, runLoader } from "../../../../data-loaders/run-loader.js";
import { saeSweepFile } from "../../../../data-loaders/sae/sae-sweep-file.js";

await runLoader(() => saeSweepFile(loaderParam("model"), loaderParam("layer")));
