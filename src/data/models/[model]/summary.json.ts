import { loaderParam, runLoader } from "../../../../data-loaders/run-loader.js";
import { summaryFile } from "../../../../data-loaders/models/model-summary-file.js";

await runLoader(() => summaryFile(loaderParam("model")));
