// panecast's service worker: shows Web Push alerts, and a click opens the dashboard focused on the
// pane (an open panecast window is reused). The payload is the server's PushPayload (lib/notify).
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
      data: { url: typeof data.url === "string" ? data.url : "./" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
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
