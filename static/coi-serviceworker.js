// Cross-origin isolation for hosts that cannot send headers (e.g. GitHub Pages).
//
// On the page: if the page is not cross-origin isolated, register this same file as a service
// worker and reload once; from then on the worker serves every response of this origin with
// COOP/COEP, so the browser grants SharedArrayBuffer and the lab can start threads. A flag in
// sessionStorage makes sure a host that still refuses isolation never causes a reload loop.
// In the service worker: copy each response and add the two headers.
if (typeof window === 'undefined') {
  self.addEventListener('install', () => self.skipWaiting());
  self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
  self.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
    event.respondWith(
      fetch(request).then((response) => {
        if (response.status === 0) return response;
        const headers = new Headers(response.headers);
        headers.set('Cross-Origin-Opener-Policy', 'same-origin');
        headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
        headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
        return new Response(response.body, {
          status: response.status,
          statusText: response.statusText,
          headers,
        });
      })
    );
  });
} else if (!window.crossOriginIsolated && window.isSecureContext && 'serviceWorker' in navigator) {
  const reloadedKey = 'looplab-coi-reloaded';
  if (!sessionStorage.getItem(reloadedKey)) {
    navigator.serviceWorker.register(document.currentScript.src).then(
      (registration) => {
        if (!navigator.serviceWorker.controller || registration.active) {
          sessionStorage.setItem(reloadedKey, '1');
          navigator.serviceWorker.ready.then(() => window.location.reload());
        }
      },
      (error) => console.info('Looplab: no service worker for isolation:', error && error.message)
    );
  }
}
