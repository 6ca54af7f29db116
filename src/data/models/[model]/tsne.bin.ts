import { loaderParam, runLoader } from "../../../../data-loaders/run-loader.js";
import { tsneFile } from "../../../../data-loaders/models/tsne-embedding.js";

await runLoader(() => tsneFile(loaderParam("model")));
