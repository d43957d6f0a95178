// Draws the installable app's icons (pb_public/img/icon-*.png, listed in
// manifest.webmanifest) from the logo in headless Chromium:
//
//   node e2e/icons.mjs
//
// "any" icons are the logo as it is; the maskable one fills the square
// with the logo's blue and keeps the drawing inside the central 80 % that
// every launcher's mask leaves visible. Run it again after changing
// img/logo.svg, and commit the PNGs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch } from './lib.mjs';

const logo = readFileSync(join(ROOT, 'pb_public/img/logo.svg'), 'utf8');
const glyph = logo.replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '').replace(/<rect[^>]*\/>/, '');
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#1d4ed8"/><g transform="translate(9.6 9.6) scale(0.7)">${glyph}</g></svg>`;

const icons = [
  ['icon-192.png', 192, logo], ['icon-512.png', 512, logo], ['icon-maskable-512.png', 512, maskable], ['apple-touch-icon.png', 180, maskable],
];
const browser = await launch();
try {
  for (const [name, size, svg] of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(`<style>html,body{margin:0;background:transparent}</style><img src="${src}" width="${size}" height="${size}">`);
    await page.locator('img').evaluate((img) => img.decode());
    writeFileSync(join(ROOT, 'pb_public/img', name), await page.screenshot({ omitBackground: true }));
    await page.close();
    console.log(name);
  }
} finally {
  await browser.close();
}
