// Types of the arquero bundle that data-loaders/build/vendor.ts writes beside this file.
export * from "arquero";
