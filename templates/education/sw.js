{% load static %}/* Service worker of the guides: visited guides stay readable offline. */
"use strict";
const CACHE = "panduan-{{ version|escapejs }}";
const SCOPE = "{% url 'education:index' %}";
const OFFLINE_URL = "{% url 'education:offline' %}";
const SHELL = [
  OFFLINE_URL,{% for path in shell %}
  "{% static path %}",{% endfor %}
];
const MATCH = { ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("panduan-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function remember(request, response) {
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener("message", (event) => {
  // A page opened before the worker took control asks to be kept for offline reading.
  const url = event.data && event.data.keep;
  if (typeof url === "string" && new URL(url).origin === self.location.origin) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.add(url)).catch(() => undefined));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Network first (guides change), the saved copy when offline, else the offline page.
    event.respondWith(
      fetch(request)
        .then((response) => (url.pathname.startsWith(SCOPE) ? remember(request, response) : response))
        .catch(() => caches.match(request, MATCH).then((hit) => hit || caches.match(OFFLINE_URL, MATCH)))
    );
    return;
  }
  if (url.pathname.startsWith("{% get_static_prefix %}")) {
    event.respondWith(caches.match(request, MATCH).then((hit) => hit || fetch(request).then((r) => remember(request, r))));
  }
});
