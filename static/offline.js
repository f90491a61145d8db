// Keep warnings on this phone: the service worker is registered only when
// the reader asks, and "forget" removes it and everything it saved.
(() => {
  "use strict";
  const box = document.querySelector("[data-keep]"), sw = navigator.serviceWorker;
  if (!box || !sw || !window.caches) { return; }
  const form = box.querySelector("form"), status = box.querySelector("[data-keep-status]"),
    forget = box.querySelector("[data-keep-forget]");
  const say = (state) => { status.textContent = status.getAttribute("data-" + state); };
  const ours = () => caches.keys().then((keys) => keys.filter((k) => k.startsWith("fw-")));
  box.hidden = false;
  Promise.all([ours(), sw.getRegistration("/")]).then(([keys, reg]) => {
    forget.hidden = !keys.length && !reg;
    if (keys.length) { say("saved"); }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    say("saving");
    const list = form.action + "/list?country=" + encodeURIComponent(form.country.value);
    sw.register("/sw.js").then(() => sw.ready).then((reg) => new Promise((done, fail) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = (e) => (e.data ? done() : fail());
      reg.active.postMessage(list, [ch.port2]);
    })).then(() => { say("saved"); forget.hidden = false; }, () => say("failed"));
  });
  forget.querySelector("button").addEventListener("click", () => {
    Promise.all([
      sw.getRegistrations().then((regs) => Promise.all(regs.map((r) => r.unregister()))),
      ours().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))),
    ]).then(() => { say("forgotten"); forget.hidden = true; });
  });
})();
