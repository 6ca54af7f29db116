import { runLoader } from "../../data-loaders/run-loader.js";
import { readDataset } from "../../data-loaders/dataset/read-dataset.js";
import { trainSampleFile } from "../../data-loaders/site-data/dataset-files.js";

await runLoader(async () => trainSampleFile(await readDataset()));
