// Materials: a student's shared files and links; a tutor's own (upload by
// drag and drop with a progress bar per file, folders, links, new
// versions, sharing, who downloaded what); every material for staff, with
// the school's upload limits. Several can be selected and downloaded as
// one zip, moved to a folder or unshared.
import { pb, currentUser, role, school } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { dateTime } from '../format.js';
import { pageTitle, loading, empty, errorBox, toast, confirmDialog } from '../ui.js';
import { field } from '../forms.js';
import { materials as api } from '../api.js';
import { describe, historyButton, openButton, showUsage, downloadZip } from '../materials.js';
import { limitsOf, uploadZone, sendFile, chooseFile } from '../material-upload.js';
import { myTeaching, sharedNames, shareDialog, linkDialog, moveDialog, limitsForm } from '../material-share.js';

const PER_PAGE = 50;

/** The list's filter for the viewer: their own (tutors), shared with them (students), all (staff). */
function listFilter(v) {
  const parts = ['latest = true'];
  if (v.role === 'tutor') parts.push('owner = {:me}');
  else if (v.role !== 'admin') parts.push('owner != {:me}');
  if (v.folder !== null) parts.push('folder = {:folder}');
  return pb.filter(parts.join(' && '), { me: v.me.id, folder: v.folder || '' });
}

/** The bar acting on the selected materials: {element, show()}. */
function bulkBar(v) {
  const count = h('span', { class: 'selected-count', 'aria-live': 'polite' });
  const ids = () => [...v.selected];
  async function unshare() {
    if (!await confirmDialog(t('Stop sharing {n} materials?', { n: v.selected.size }), t('Your students no longer see them, and they leave every lesson.'), { confirm: t('Unshare') })) return;
    try {
      const res = await api.unshare(ids());
      toast(t('{n} no longer shared.', { n: res.unshared }));
      v.reload();
    } catch (e) { toast(e.message, { error: true }); }
  }
  const buttons = [
    h('button', { type: 'button', class: 'secondary', on: { click: () => downloadZip(ids()) } }, t('Download as zip')),
    v.teacher ? h('button', { type: 'button', class: 'secondary', on: { click: () => moveDialog(ids(), v.folders, v.reload) } }, t('Move to folder')) : null,
    v.teacher ? h('button', { type: 'button', class: 'secondary', on: { click: unshare } }, t('Unshare')) : null,
  ].filter(Boolean);
  const show = () => {
    count.textContent = t('{n} selected', { n: v.selected.size });
    for (const b of buttons) b.disabled = v.selected.size === 0;
  };
  show();
  return { element: h('div', { class: 'bulk-bar', role: 'group', 'aria-label': t('Selected materials') }, count, buttons), show };
}

/** Fills box with the folder picker, from the folders the viewer's materials are in. */
async function showFolders(v, box) {
  const mine = v.role === 'tutor' ? pb.filter('latest = true && owner = {:me}', { me: v.me.id }) : 'latest = true';
  const rows = await pb.collection('materials').getList(1, 500, { filter: mine, fields: 'folder', sort: 'folder' }).catch(() => ({ items: [] }));
  v.folders = [...new Set(rows.items.map((x) => x.folder).filter(Boolean))];
  const options = [['*', t('All folders')], ['', t('No folder')], ...v.folders.map((f) => [f, f])];
  const f = field({ name: 'folder', label: t('Folder'), type: 'select', value: v.folder === null ? '*' : v.folder, options });
  f.querySelector('select').addEventListener('change', (e) => {
    v.folder = e.target.value === '*' ? null : e.target.value;
    history.replaceState(history.state, '', v.folder === null ? '/materials' : `/materials?folder=${encodeURIComponent(v.folder)}`);
    v.reload();
  });
  replace(box, f);
}

/** Where a material is and who sees it, as one line. */
function whereText(v, m) {
  const shared = sharedNames(m, v.teaching);
  return [
    m.folder ? t('Folder: {folder}', { folder: m.folder }) : '',
    m.owner !== v.me.id ? t('From {name}', { name: m.owner_name }) : '',
    v.teacher && shared.length ? t('Shared with {names}', { names: shared.join(', ') }) : '',
    v.teacher && m.booking ? t('Attached to a lesson') : '',
    v.teacher && !shared.length && !m.booking ? t('Not shared') : '',
  ].filter(Boolean).join(' · ');
}

/** A new version of m, from the file chooser. */
async function newVersion(v, m) {
  const file = await chooseFile(v.limits);
  if (!file) return;
  const rec = await sendFile(v.uploads.list, v.limits, { owner: v.me.id, title: m.title, previous: m.id }, file);
  if (rec) { toast(t('Version {n} added.', { n: rec.version })); v.reload(); }
}

/** Deletes m with all its versions, once confirmed. */
async function remove(v, m) {
  if (!await confirmDialog(t('Delete {title}?', { title: m.title }), t('Every version goes, for everyone it is shared with.'), { confirm: t('Delete'), danger: true })) return;
  try {
    await pb.collection('materials').delete(m.id);
    v.selected.delete(m.id);
    v.reload();
  } catch (e) { toast(e.message, { error: true }); }
}

/** A material's line: select, what it is, its actions. */
function materialRow(v, m) {
  const mine = m.owner === v.me.id;
  const button = (label, name, click, cls = 'secondary') => h('button', { type: 'button', class: cls, 'aria-label': name, on: { click } }, label);
  const where = whereText(v, m);
  return h('li', { class: 'row material', dataset: { id: m.id, title: m.title } },
    h('input', { type: 'checkbox', checked: v.selected.has(m.id), 'aria-label': t('Select {title}', { title: m.title }),
      on: { change: (e) => { if (e.target.checked) v.selected.add(m.id); else v.selected.delete(m.id); v.bulk.show(); } } }),
    h('span', { class: 'grow' }, h('strong', m.title), h('br'),
      h('span', { class: 'small muted' }, describe(m), ' · ', dateTime(m.created)), ' ', historyButton(m),
      where ? [h('br'), h('span', { class: 'small' }, where)] : null),
    h('span', { class: 'material-actions' },
      openButton(m),
      mine && !m.url ? button(t('New version'), t('New version of {title}', { title: m.title }), () => newVersion(v, m)) : null,
      mine && v.role === 'tutor' ? button(t('Share'), t('Share {title}', { title: m.title }), () => shareDialog(m, v.teaching, v.reload)) : null,
      v.teacher ? button(t('Downloads'), t('Downloads of {title}', { title: m.title }), () => showUsage(m)) : null,
      mine || v.role === 'admin' ? button(t('Delete'), t('Delete {title}', { title: m.title }), () => remove(v, m), 'secondary danger') : null));
}

/** The upload section of tutors and staff: a folder to upload into and the drop zone. */
function uploadSection(v) {
  const folder = field({ name: 'upload_folder', label: t('Upload into the folder'), maxlength: 200, value: v.folder || '', hint: t('Leave it empty for no folder.') });
  v.uploads = uploadZone({
    limits: v.limits,
    fields: () => ({ owner: v.me.id, folder: folder.querySelector('input').value.trim() }),
    onUploaded: (done) => { if (done.length) { toast(t('{n} uploaded.', { n: done.length })); v.reload(); } },
  });
  return [h('h2', t('Upload')), folder, v.uploads.element];
}

export default async function materialsPage(ctx) {
  ctx.setTitle(t('Materials'));
  const r = role();
  const s = await school();
  const v = {
    me: currentUser(), role: r, teacher: r === 'tutor' || r === 'admin', limits: limitsOf(s), folder: ctx.query.get('folder'),
    teaching: r === 'tutor' ? await myTeaching().catch((e) => { console.warn(e); return { students: [], lessons: [] }; }) : null,
    page: 1, items: [], folders: [], selected: new Set(),
  };
  const listEl = h('div', { id: 'materials-list' }, loading());
  const folders = h('div', { class: 'filters-inline' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, on: { click: () => { v.page += 1; load(); } } }, t('Show more'));
  async function load() {
    try {
      const res = await pb.collection('materials').getList(v.page, PER_PAGE, { filter: listFilter(v), sort: 'folder,title' });
      if (!ctx.isCurrent()) return;
      v.items = v.page === 1 ? res.items : [...v.items, ...res.items];
      const shown = new Set(v.items.map((m) => m.id));
      for (const id of [...v.selected]) if (!shown.has(id)) v.selected.delete(id);
      v.bulk.show();
      more.hidden = res.page >= res.totalPages;
      replace(listEl, v.items.length ? h('ul', { class: 'list materials' }, v.items.map((m) => materialRow(v, m)))
        : empty(v.teacher ? t('No materials here yet.') : t('Nothing has been shared with you yet.')));
    } catch (e) { replace(listEl, errorBox(e)); }
  }
  v.reload = () => { v.page = 1; showFolders(v, folders); load(); };
  v.bulk = bulkBar(v);
  replace(ctx.root,
    pageTitle(t('Materials'), r === 'tutor' ? h('button', { type: 'button', on: { click: () => linkDialog(v.folders, v.folder || '', v.reload) } }, t('Add a link')) : null),
    h('p', { class: 'muted' }, v.teacher
      ? t('Upload worksheets, recordings and links, keep them in folders, share them with your students or attach them to a lesson.')
      : t('Files and links your tutors shared with you. The newest version is shown; open the history for older ones.')),
    r === 'admin' ? [h('h2', t('Upload limits')), limitsForm(s, (saved) => { Object.assign(v.limits, limitsOf(saved)); })] : null,
    v.teacher ? uploadSection(v) : null,
    h('h2', r === 'admin' ? t('All materials') : t('Your materials')), folders, v.bulk.element, listEl, more);
  await showFolders(v, folders);
  await load();
}
