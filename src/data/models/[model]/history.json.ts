import { loaderParam, runLoader } from "../../../../data-loaders/run-loader.js";
import { trainedModelFile } from "../../../../data-loaders/models/trained-model.js";

await runLoader(() => trainedModelFile(loaderParam("model"), "history.json"));
