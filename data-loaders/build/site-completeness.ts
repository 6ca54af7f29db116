// Proves a built site is complete before it replaces dist/: every local file that a page or a
// module references must exist in it. Concurrent or interrupted builds once published sites
// without their data files, wasm binaries or stylesheet, and Framework reported success.
import { existsSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, posix, relative, sep } from "node:path";

export interface MissingFile {
  /** The missing path, relative to the site's root ("/"-separated). */
  path: string;
  /** The site files that reference it. */
  referencedBy: string[];
}

/**
 * Library folders: their dynamic import()s name optional modules (Framework's stdlib loads
 * DuckDB, Leaflet, … only when a page uses them, and copies them only then), so only their
 * static imports must resolve.
 */
const LIBRARY_FOLDERS = ["_observablehq/", "_node/", "_npm/", "_jsr/"];

const STATIC_IMPORTS = [/\bfrom\s*(["'])([^"'\n]+?)\1/g, /\bimport\s*(["'])([^"'\n]+?)\1/g];
const RUNTIME_IMPORTS = [/\bimport\s*\(\s*(["'])([^"'\n]+?)\1\s*\)/g, /\bimport\.meta\.resolve\(\s*(["'])([^"'\n]+?)\1\s*\)/g];
// Framework writes each file attachment's description as a JSON object: in a page,
// registerFile("name", {...}); in a module, FileAttachment({...}, import.meta.url).
const FILE_ATTACHMENTS = /\b(?:registerFile\(\s*"(?:[^"\\]|\\.)*"\s*,\s*|FileAttachment\(\s*)(\{[^{}\n]*\})/g;
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
const URL_ATTRIBUTE = /\s(?:src|href)\s*=\s*(["'])([^"']*)\1/gi;
const CSS_URL = /\burl\(\s*(["']?)([^"')]+)\1\s*\)/g;

function matches(text: string, patterns: RegExp[]): string[] {
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[2]));
}

function attachmentPaths(text: string): string[] {
  const paths: string[] = [];
  for (const [, json] of text.matchAll(FILE_ATTACHMENTS)) {
    try {
      const { path } = JSON.parse(json) as { path?: unknown };
      if (typeof path === "string") paths.push(path);
    } catch {
      // Not a description Framework wrote (e.g. FileAttachment({...}) in prose): nothing to check.
    }
  }
  return paths;
}

/** Module specifiers are paths only when they start with ./, ../ or /; bare ones name packages. */
const isPathSpecifier = (s: string) => /^(\.{1,2}\/|\/(?!\/))/.test(s);
/** URL attributes are local unless they have a scheme, start with // or # , or are templates. */
const isLocalUrl = (s: string) => s !== "" && !/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(s);

/** The references in one script (a module, or a page's inline script). */
function scriptReferences(text: string, isLibrary: boolean): string[] {
  const imports = matches(text, isLibrary ? STATIC_IMPORTS : [...STATIC_IMPORTS, ...RUNTIME_IMPORTS]).filter(isPathSpecifier);
  return [...imports, ...(isLibrary ? [] : attachmentPaths(text))];
}

/** Every local URL or module path that `text` (the contents of site file `file`) references, as written. */
export function referencesIn(file: string, text: string): string[] {
  if (file.endsWith(".css")) return matches(text, [CSS_URL]).filter(isLocalUrl);
  if (file.endsWith(".js"))
    return scriptReferences(
      text,
      LIBRARY_FOLDERS.some((folder) => file.startsWith(folder)),
    );
  if (!file.endsWith(".html")) return [];
  const scripts = [...text.matchAll(SCRIPT)];
  const markup = text.replace(SCRIPT, (_, attributes: string) => `<script${attributes}></script>`);
  return [...matches(markup, [URL_ATTRIBUTE]).filter(isLocalUrl), ...scripts.flatMap(([, , body]) => scriptReferences(body, false))];
}

/** "%40scope" → "@scope"; a malformed escape is left as written (and then likely reported missing). */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Where `reference`, written in site file `file`, points inside the site ("/"-separated, no
 * query or fragment); null for a template (`${…}`), which only the browser can resolve.
 */
export function resolveReference(file: string, reference: string): string | null {
  if (reference.includes("${")) return null;
  const path = decodePath(reference.replace(/[?#].*$/, ""));
  const resolved = path.startsWith("/") ? posix.normalize(path.slice(1)) : posix.join(posix.dirname(file), path);
  return resolved === "." || resolved === "./" ? "" : resolved;
}

function existsInSite(siteDir: string, path: string): boolean {
  if (path.startsWith("../")) return false; // outside the site
  const isFile = (p: string) => existsSync(join(siteDir, p)) && statSync(join(siteDir, p)).isFile();
  // A link to a page may omit ".html" or name its folder.
  const candidates = path === "" || path.endsWith("/") ? [`${path}index.html`] : [path, `${path}.html`, `${path}/index.html`];
  return candidates.some(isFile);
}

/** Every file missing from the site in `siteDir` that one of its files references; [] when complete. */
export async function findMissingFiles(siteDir: string): Promise<MissingFile[]> {
  const files = (await readdir(siteDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(siteDir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
  const missing = new Map<string, Set<string>>();
  const note = (path: string, by: string) => missing.set(path, (missing.get(path) ?? new Set()).add(by));
  if (!existsInSite(siteDir, "index.html")) note("index.html", "(the site's home page)");
  for (const file of files.filter((f) => /\.(html|js|css)$/.test(f))) {
    for (const reference of referencesIn(file, await readFile(join(siteDir, file), "utf8"))) {
      const path = resolveReference(file, reference);
      if (path !== null && !existsInSite(siteDir, path)) note(path, file);
    }
  }
  return [...missing].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, by]) => ({ path, referencedBy: [...by].sort() }));
}

/** One line per missing file: "<path> (referenced by a.html, b.js)". */
export function describeMissingFiles(missing: MissingFile[]): string[] {
  return missing.map(({ path, referencedBy }) => `${path} (referenced by ${referencedBy.join(", ")})`);
}
