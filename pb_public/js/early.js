// The first data of the directory, the page most visits start on, asked
// for while the app's modules are still on their way: index.html loads
// this module on its own (async, no imports), so it runs as soon as it
// arrives, about half a second before app.js can on a slow phone link.
// js/pb.js and js/api.js take the answers (takeEarly) instead of asking
// again; any other page, or the directory with filters, asks nothing here.
// The two routes are spelt here as well as in js/api.js and js/pb.js: keep
// them the same.
if (location.pathname === '/' && !location.search) {
  const get = (url) => fetch(url, { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))));
  const early = {
    search: get('/api/search/tutors?page=1&perPage=24'),
    subjects: get('/api/collections/subjects/records?page=1&perPage=200&sort=name&skipTotal=1'),
  };
  for (const p of Object.values(early)) p.catch(() => {}); // the app asks again when one failed
  globalThis.tutorbaseEarly = early;
  // the first price format loads the browser's currency data, about 100 ms
  // on a slow phone: done now, while the network is still busy
  try { new Intl.NumberFormat(navigator.language, { style: 'currency', currency: 'EUR' }).format(1); } catch { /* the page pays for it later */ }
}
