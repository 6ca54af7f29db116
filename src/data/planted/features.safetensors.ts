import { runLoader } from "../../../data-loaders/run-loader.js";
import { plantedBuildFile } from "../../../data-loaders/planted/build-run.js";

await runLoader(() => plantedBuildFile("features"));
