// Preloaded with NODE_OPTIONS=--import=... into every Node process of a test build (Framework
// and each data loader): any attempt to reach a host other than this machine fails as if the
// network were down, and is recorded in the file named by BLOCKED_NETWORK_LOG. The npm
// registry and the CDN are blocked alike. NETWORK_ALLOW=host1,host2 lets hosts through.
import dns from "node:dns";
import { appendFileSync } from "node:fs";

const allowed = new Set((process.env.NETWORK_ALLOW ?? "").split(",").filter(Boolean));
const isLocal = (host) => !host || host === "localhost" || host === "::1" || /^127\./.test(host) || host === "[::1]" || allowed.has(host);

function record(host) {
  const log = process.env.BLOCKED_NETWORK_LOG;
  if (log) appendFileSync(log, `${process.pid} ${host}\n`);
  process.stderr.write(`[offline test] blocked a connection to ${host}\n`);
}

const blocked = (host) => Object.assign(new Error(`getaddrinfo ENOTFOUND ${host} (network blocked by tests/offline)`), { code: "ENOTFOUND", hostname: host });

const lookup = dns.lookup;
dns.lookup = function (hostname, ...args) {
  if (isLocal(hostname)) return lookup.call(this, hostname, ...args);
  record(hostname);
  const callback = args[args.length - 1];
  process.nextTick(() => callback(blocked(hostname)));
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async function (hostname, ...args) {
  if (isLocal(hostname)) return promisesLookup.call(this, hostname, ...args);
  record(hostname);
  throw blocked(hostname);
};

const fetch = globalThis.fetch;
globalThis.fetch = async function (input, init) {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  if (isLocal(url.hostname)) return fetch(input, init);
  record(url.hostname);
  throw new TypeError("fetch failed", { cause: blocked(url.hostname) });
};
