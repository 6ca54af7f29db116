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
