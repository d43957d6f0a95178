// Lesson materials seen by anyone who may open them: a material's line
// (title, kind, version), its download or link with a short-lived file
// token, its version history, and who downloaded it (for its tutor and
// staff). The materials page and the lesson page use them.
import { pb } from './pb.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { dateTime } from './format.js';
import { openDialog, loading, empty, errorBox, toast, table } from './ui.js';
import { materials as api } from './api.js';

/** A size in bytes as "1.2 MB". */
export function fileSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return t('{n} bytes', { n });
  if (n < 1024 * 1024) return t('{n} KB', { n: Math.round(n / 1024) });
  return t('{n} MB', { n: (n / 1024 / 1024).toFixed(1) });
}

/** The extension of a material's file, upper case ("PDF"), or "Link". */
export function kindOf(m) {
  if (m.url) return t('Link');
  const ext = /\.([A-Za-z0-9]+)$/.exec(m.file || '');
  return ext ? ext[1].toUpperCase() : t('File');
}

/** The id every version of m shares (its first version's). */
export const chainOf = (m) => m.root || m.id;

/** Clicks a hidden link to href (a download when download is set). */
function follow(href, { download = false, newTab = false } = {}) {
  const a = h('a', { href, hidden: true, download: download ? '' : null, target: newTab ? '_blank' : null, rel: newTab ? 'noopener' : null });
  document.body.append(a);
  a.click();
  a.remove();
}

/** Downloads a file material, or opens a link material in a new tab. */
export async function openMaterial(m) {
  try {
    const token = await pb.files.getToken();
    if (m.url) follow(api.openURL(m.id, token), { newTab: true });
    else follow(pb.files.getURL(m, m.file, { token, download: 1 }), { download: true });
  } catch (e) {
    console.warn(e);
    toast(t('The download failed.'), { error: true });
  }
}

/** Downloads the files of ids as one zip. */
export async function downloadZip(ids) {
  try {
    follow(api.zipURL(ids, await pb.files.getToken()), { download: true });
  } catch (e) {
    console.warn(e);
    toast(t('The download failed.'), { error: true });
  }
}

/** The button that downloads or opens m, named with its title. */
export function openButton(m, { label } = {}) {
  const text = label || (m.url ? t('Open') : t('Download'));
  return h('button', { type: 'button', class: 'secondary', 'aria-label': `${text}: ${m.title}`, on: { click: () => openMaterial(m) } }, text);
}

/** "PDF · 1.2 MB · version 2" */
export function describe(m) {
  return [kindOf(m), m.url ? '' : fileSize(m.size), m.version > 1 ? t('version {n}', { n: m.version }) : ''].filter(Boolean).join(' · ');
}

/** The dialog listing every version of m, newest first, each to download. */
export function showHistory(m) {
  openDialog(t('Versions of {title}', { title: m.title }), async (body) => {
    const list = h('div', loading());
    body.append(list);
    try {
      const chain = chainOf(m);
      const all = await pb.collection('materials').getFullList({ filter: pb.filter('id = {:c} || root = {:c}', { c: chain }), sort: '-version' });
      replace(list, h('ol', { class: 'list versions' }, all.map((v) => h('li', { class: 'row', dataset: { version: v.version } },
        h('span', { class: 'grow' }, h('strong', t('Version {n}', { n: v.version })), v.latest ? ` (${t('newest')})` : '',
          h('br'), h('span', { class: 'small muted' }, dateTime(v.created), ' · ', describe(v))),
        openButton(v, { label: t('Download version {n}', { n: v.version }) })))));
    } catch (e) { replace(list, errorBox(e)); }
  });
}

/** A version count's button opening the history, or null for a first version. */
export function historyButton(m) {
  if (!(m.version > 1)) return null;
  return h('button', { type: 'button', class: 'linklike', 'aria-label': t('History of {title}', { title: m.title }), on: { click: () => showHistory(m) } },
    t('History ({n} versions)', { n: m.version }));
}

/** The dialog listing who downloaded m (any version) and when: for its tutor and staff. */
export function showUsage(m) {
  openDialog(t('Downloads of {title}', { title: m.title }), async (body) => {
    const box = h('div', loading());
    body.append(box);
    const chain = chainOf(m);
    const filter = pb.filter('material = {:c} || material.root = {:c}', { c: chain });
    let page = 1;
    const rows = [];
    const more = h('button', { type: 'button', class: 'secondary', hidden: true, on: { click: () => { page += 1; load(); } } }, t('Show more'));
    async function load() {
      try {
        const res = await pb.collection('material_downloads').getList(page, 50, { filter, sort: '-created', expand: 'material', fields: 'id,user_name,created,expand.material.version' });
        for (const d of res.items) {
          const version = d.expand && d.expand.material ? d.expand.material.version : '';
          rows.push(h('tr', h('td', d.user_name || t('A student')), h('td', dateTime(d.created)), h('td', { class: 'num' }, String(version))));
        }
        more.hidden = res.page >= res.totalPages;
        replace(box, rows.length
          ? [h('p', t('{n} downloads', { n: res.totalItems })), table([t('Who'), t('When'), { text: t('Version'), class: 'num' }], rows, { caption: t('Downloads of {title}', { title: m.title }) }), more]
          : empty(t('Nobody has downloaded it yet.')));
      } catch (e) { replace(box, errorBox(e)); }
    }
    await load();
  });
}

/**
 * The materials a lesson's people see on its page: those attached to the
 * lesson and those its tutor shared with its student, newest versions only.
 */
export function lessonMaterials(b) {
  return pb.collection('materials').getList(1, 100, {
    filter: pb.filter('latest = true && (booking = {:b} || (owner = {:tu} && shared_with.id ?= {:st}))', { b: b.id, tu: b.tutor_user, st: b.student }),
    sort: 'folder,title',
  });
}

/** The lesson page's list of its materials. */
export function materialList(items) {
  if (!items.length) return empty(t('No materials for this lesson yet.'));
  return h('ul', { class: 'list materials' }, items.map((m) => h('li', { class: 'row material', dataset: { id: m.id } },
    h('span', { class: 'grow' }, h('strong', m.title), m.folder ? h('span', { class: 'small muted' }, ` · ${m.folder}`) : null,
      h('br'), h('span', { class: 'small muted' }, describe(m)), ' ', historyButton(m)),
    openButton(m))));
}
