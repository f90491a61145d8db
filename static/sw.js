// Forewarn's service worker, registered only when a reader asks to keep
// warnings on their phone. It saves only the public URLs the server lists
// (without cookies), answers from the network first and from those copies
// when there is no network, else with the offline page.
const P = "fw-", HOUR = 36e5;
let busy;
// keep saves the URLs of a list in the cache of its language and drops
// what the list no longer names; it resolves to the number saved.
const keep = async (list) => {
  const u = new URL(list, location);
  if (u.origin !== location.origin || !u.pathname.endsWith("/offline/list")) throw 0;
  const r = await fetch(u, { credentials: "omit" });
  if (!r.ok) throw 0;
  const urls = (await r.clone().json()).urls, c = await caches.open(P + u.pathname.split("/")[1]);
  await c.put(u, r);
  let n = 0;
  await Promise.all(urls.map(async (x) => {
    const a = await fetch(x, { credentials: "omit" });
    if (a.ok && !a.redirected) { await c.put(x, a); n++; }
  }));
  for (const q of await c.keys()) {
    const p = new URL(q.url);
    if (q.url !== u.href && !urls.includes(p.pathname + p.search)) await c.delete(q);
  }
  return n;
};
// refresh keeps again every list saved more than an hour ago.
const refresh = async () => {
  for (const k of await caches.keys()) {
    if (!k.startsWith(P)) continue;
    const c = await caches.open(k);
    for (const q of await c.keys()) {
      if (!q.url.includes("/offline/list")) continue;
      const r = await c.match(q);
      if (!(Date.now() - new Date(r.headers.get("date")) < HOUR)) await keep(q.url);
    }
  }
};
const fresh = () => (busy = busy || refresh().catch(() => {}).then(() => { busy = null; }));
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(Promise.all([clients.claim(), fresh()])));
self.addEventListener("message", (e) => e.waitUntil(keep(e.data).catch(() => 0).then((n) => e.ports[0].postMessage(n))));
self.addEventListener("fetch", (e) => {
  const q = e.request, u = new URL(q.url), nav = q.mode === "navigate";
  if (q.method !== "GET" || u.origin !== location.origin || u.pathname.startsWith("/api/")) return;
  if (nav) e.waitUntil(fresh());
  e.respondWith(fetch(q).catch(async () => (await caches.match(q, { ignoreVary: true })) ||
    (nav && await caches.match("/" + u.pathname.split("/")[1] + "/offline", { ignoreSearch: true, ignoreVary: true })) ||
    Response.error()));
});
