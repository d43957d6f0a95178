// Measures how soon the tutor directory shows its first tutor ("content
// ready") on a simulated slow phone link: 1.6 Mbps down, 750 kbps up,
// 150 ms round trip, CPU slowed 4× (Chromium's DevTools protocol, as
// Lighthouse's "slow 4G" profile). Not part of the test suite: its numbers
// go to docs/benchmarks.md.
//
//   make build && node e2e/slowlink.mjs [runs]
//
// Each run is a first visit (a fresh browser context, empty cache), then a
// reload of the same page (the cache kept: what a returning visitor
// downloads). Prints the median and every run, with the bytes transferred.
import { startServer, launch } from './lib.mjs';

const RUNS = Number(process.argv[2]) || 7;
const LINK = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) };
const CPU = 4;

// Runs in the page before its scripts: notes when the first tutor card is in the DOM.
function watchContent() {
  const seen = () => {
    if (window.__contentReady === undefined && document.querySelector('main .cards li')) window.__contentReady = performance.now();
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
}

async function load(page, cdp, how) {
  const bytes = { total: 0, requests: 0, notModified: 0 };
  const onResponse = (e) => { if (e.response.status === 304) bytes.notModified += 1; };
  const onFinished = (e) => { bytes.total += e.encodedDataLength; bytes.requests += 1; };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  if (how === 'reload') await page.reload({ waitUntil: 'commit' });
  else await page.goto('/', { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__contentReady !== undefined, null, { timeout: 60000, polling: 50 });
  const ms = await page.evaluate(() => window.__contentReady);
  await page.waitForLoadState('networkidle');
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.loadingFinished', onFinished);
  return { ms, ...bytes };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const server = await startServer();
const browser = await launch();
try {
  { // warm the server up (first requests compile templates, fill caches)
    const ctx = await browser.newContext({ baseURL: server.url });
    const page = await ctx.newPage();
    await page.goto('/');
    await page.locator('main .cards li').first().waitFor();
    await ctx.close();
  }
  const first = [], again = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ baseURL: server.url, viewport: { width: 360, height: 740 }, locale: 'en-GB', timezoneId: 'Europe/Rome' });
    await ctx.addInitScript(watchContent);
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', LINK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
    first.push(await load(page, cdp, 'goto'));
    again.push(await load(page, cdp, 'reload'));
    await ctx.close();
  }
  const show = (name, runs) => {
    console.log(`${name}: content ready ${Math.round(median(runs.map((r) => r.ms)))} ms (median of ${runs.length}), ` +
      `${(median(runs.map((r) => r.total)) / 1024).toFixed(1)} KiB in ${median(runs.map((r) => r.requests))} responses, ` +
      `${median(runs.map((r) => r.notModified))} of them 304`);
    console.log(`  runs (ms): ${runs.map((r) => Math.round(r.ms)).join(', ')}`);
  };
  show('first visit', first);
  show('reload', again);
} finally {
  await browser.close();
  await server.stop();
}
