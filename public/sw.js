// panecast's service worker: shows Web Push alerts, and a click opens the dashboard focused on the
// pane (an open panecast window is reused). The payload is the server's PushPayload (lib/notify).
// An operator's alert for a waiting agent carries answer buttons: one answers the prompt with the
// capability made for this notification (single use, 10 minutes, that pane and prompt only).
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: "panecast", body: event.data ? event.data.text() : "" };
  }
  const title = typeof data.title === "string" ? data.title : "panecast";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === "string" ? data.body : "",
      tag: typeof data.tag === "string" ? data.tag : undefined,
      renotify: true,
      icon: new URL("icons/icon-192.png", self.registration.scope).href,
      data: { url: typeof data.url === "string" ? data.url : "./", answer: data.answer && typeof data.answer.capability === "string" ? data.answer : null },
      actions: Array.isArray(data.actions) ? data.actions.filter((a) => a && typeof a.action === "string" && typeof a.title === "string") : [],
    }),
  );
});

/** Posts the notification's answer; resolves with the server's answer (`{ data }` or `{ error }`). */
function answer(notification, choice) {
  const a = notification.data && notification.data.answer;
  const target = new URL(a.url, self.registration.scope);
  if (target.origin !== self.location.origin) return Promise.resolve({ error: { code: "BAD_REQUEST", message: "not this server" } });
  return fetch(target.href, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ capability: a.capability, choice }) })
    .then((res) => res.json())
    .catch(() => ({ error: { code: "INTERNAL", message: "panecast did not answer" } }));
}

self.addEventListener("notificationclick", (event) => {
  const m = /^answer:(\d)$/.exec(event.action || "");
  if (!m || !event.notification.data || !event.notification.data.answer) return;
  event.notification.close();
  const url = event.notification.data.url;
  event.waitUntil(
    answer(event.notification, Number(m[1])).then((r) => {
      if (r && r.data && r.data.outcome === "answered") return undefined;
      const why = r && r.error ? (r.error.code === "STALE_PROMPT" ? "the prompt changed" : r.error.message) : "the prompt is still there";
      return self.registration.showNotification("panecast: not answered", { body: why, tag: event.notification.tag, data: { url }, actions: [{ action: "open", title: "Open" }] });
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  // An answer button is handled above; everything else (the body, "Open") opens the pane.
  if (/^answer:\d$/.test(event.action || "") && event.notification.data && event.notification.data.answer) return;
  event.notification.close();
  // Same origin only: the server sends a path; anything else falls back to the dashboard.
  const target = new URL(event.notification.data && event.notification.data.url ? event.notification.data.url : "./", self.registration.scope);
  const url = target.origin === self.location.origin ? target.href : self.registration.scope;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const w of windows) {
        if (w.url.startsWith(self.registration.scope) && "navigate" in w) return w.navigate(url).then((c) => (c || w).focus());
      }
      return self.clients.openWindow(url);
    }),
  );
});
