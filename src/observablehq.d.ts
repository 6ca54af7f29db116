// The parts of Framework's client library that our TypeScript modules use.
declare module "observablehq:stdlib" {
  export interface FileAttachmentHandle {
    name: string;
    url(): Promise<string>;
    json(): Promise<any>;
    text(): Promise<string>;
    arrayBuffer(): Promise<ArrayBuffer>;
  }
  export function FileAttachment(path: string): FileAttachmentHandle;
}

// The one Observable Inputs function our TypeScript modules call (pages use the rest directly).
declare module "@observablehq/inputs" {
  export function table(data: readonly Record<string, unknown>[], options?: { select?: boolean; layout?: "auto" | "fixed"; rows?: number }): HTMLElement;
}
