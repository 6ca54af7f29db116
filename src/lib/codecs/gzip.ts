// Data files are gzipped by their loaders so that any plain static host serves them small.
// DecompressionStream is a web standard available in browsers and in Node >= 18.

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Returns the bytes gunzipped when they are gzip, else unchanged. */
export async function gunzipIfNeeded(buffer: ArrayBuffer): Promise<ArrayBuffer> {
  if (!isGzip(new Uint8Array(buffer))) return buffer;
  const stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}
