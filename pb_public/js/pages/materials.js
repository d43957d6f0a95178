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

export default async function materialsPage(ctx) {
  ctx.setTitle(t('Materials'));
  const me = currentUser();
  const r = role();
  const teacher = r === 'tutor' || r === 'admin';
  const limits = limitsOf(await school());
  const teaching = r === 'tutor' ? await myTeaching().catch((e) => { console.warn(e); return { students: [], lessons: [] }; }) : null;
  const state = { folder: ctx.query.get('folder'), page: 1, items: [], folders: [], selected: new Set() };

  const listEl = h('div', { id: 'materials-list' }, loading());
  const count = h('span', { class: 'selected-count', 'aria-live': 'polite' });
  const bulkButtons = [
    h('button', { type: 'button', class: 'secondary', on: { click: () => downloadZip([...state.selected]) } }, t('Download as zip')),
    teacher ? h('button', { type: 'button', class: 'secondary', on: { click: () => moveDialog([...state.selected], state.folders, reload) } }, t('Move to folder')) : null,
    teacher ? h('button', { type: 'button', class: 'secondary', on: { click: unshareSelected } }, t('Unshare')) : null,
  ].filter(Boolean);
  const bulk = h('div', { class: 'bulk-bar', role: 'group', 'aria-label': t('Selected materials') }, count, bulkButtons);
  const folderSelect = h('div', { class: 'filters-inline' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, on: { click: () => { state.page += 1; load(); } } }, t('Show more'));

  function showSelection() {
    count.textContent = t('{n} selected', { n: state.selected.size });
    for (const b of bulkButtons) b.disabled = state.selected.size === 0;
  }

  async function unshareSelected() {
    const ids = [...state.selected];
    if (!await confirmDialog(t('Stop sharing {n} materials?', { n: ids.length }), t('Your students no longer see them, and they leave every lesson.'), { confirm: t('Unshare') })) return;
    try {
      const res = await api.unshare(ids);
      toast(t('{n} no longer shared.', { n: res.unshared }));
      reload();
    } catch (e) { toast(e.message, { error: true }); }
  }

  function filter() {
    const parts = ['latest = true'];
    const params = { me: me.id, folder: state.folder || '' };
    if (r === 'tutor') parts.push('owner = {:me}');
    else if (r !== 'admin') parts.push('owner != {:me}');
    if (state.folder !== null) parts.push('folder = {:folder}');
    return pb.filter(parts.join(' && '), params);
  }

  async function loadFolders() {
    const mine = r === 'tutor' ? pb.filter('latest = true && owner = {:me}', { me: me.id }) : 'latest = true';
    const rows = await pb.collection('materials').getList(1, 500, { filter: mine, fields: 'folder', sort: 'folder' }).catch(() => ({ items: [] }));
    state.folders = [...new Set(rows.items.map((x) => x.folder).filter(Boolean))];
    const options = [['*', t('All folders')], ['', t('No folder')], ...state.folders.map((f) => [f, f])];
    const f = field({ name: 'folder', label: t('Folder'), type: 'select', value: state.folder === null ? '*' : state.folder, options });
    f.querySelector('select').addEventListener('change', (e) => {
      state.folder = e.target.value === '*' ? null : e.target.value;
      const q = state.folder === null ? '' : `?folder=${encodeURIComponent(state.folder)}`;
      history.replaceState(history.state, '', `/materials${q}`);
      reload();
    });
    replace(folderSelect, f);
  }

  function row(m) {
    const mine = m.owner === me.id;
    const box = h('input', { type: 'checkbox', checked: state.selected.has(m.id), 'aria-label': t('Select {title}', { title: m.title }),
      on: { change: (e) => { if (e.target.checked) state.selected.add(m.id); else state.selected.delete(m.id); showSelection(); } } });
    const shared = sharedNames(m, teaching);
    const where = [
      m.folder ? t('Folder: {folder}', { folder: m.folder }) : '',
      !mine ? t('From {name}', { name: m.owner_name }) : '',
      teacher && shared.length ? t('Shared with {names}', { names: shared.join(', ') }) : '',
      teacher && m.booking ? t('Attached to a lesson') : '',
      teacher && !shared.length && !m.booking ? t('Not shared') : '',
    ].filter(Boolean).join(' · ');
    return h('li', { class: 'row material', dataset: { id: m.id, title: m.title } },
      box,
      h('span', { class: 'grow' }, h('strong', m.title), h('br'),
        h('span', { class: 'small muted' }, describe(m), ' · ', dateTime(m.created)), ' ', historyButton(m),
        where ? [h('br'), h('span', { class: 'small' }, where)] : null),
      h('span', { class: 'material-actions' },
        openButton(m),
        mine && !m.url ? h('button', { type: 'button', class: 'secondary', 'aria-label': t('New version of {title}', { title: m.title }), on: { click: () => newVersion(m) } }, t('New version')) : null,
        mine && r === 'tutor' ? h('button', { type: 'button', class: 'secondary', 'aria-label': t('Share {title}', { title: m.title }), on: { click: () => shareDialog(m, teaching, reload) } }, t('Share')) : null,
        teacher ? h('button', { type: 'button', class: 'secondary', 'aria-label': t('Downloads of {title}', { title: m.title }), on: { click: () => showUsage(m) } }, t('Downloads')) : null,
        mine || r === 'admin' ? h('button', { type: 'button', class: 'secondary danger', 'aria-label': t('Delete {title}', { title: m.title }), on: { click: () => remove(m) } }, t('Delete')) : null));
  }

  async function newVersion(m) {
    const file = await chooseFile(limits);
    if (!file) return;
    const rec = await sendFile(uploads.list, limits, { owner: me.id, title: m.title, previous: m.id }, file);
    if (rec) { toast(t('Version {n} added.', { n: rec.version })); reload(); }
  }

  async function remove(m) {
    if (!await confirmDialog(t('Delete {title}?', { title: m.title }), t('Every version goes, for everyone it is shared with.'), { confirm: t('Delete'), danger: true })) return;
    try {
      await pb.collection('materials').delete(m.id);
      state.selected.delete(m.id);
      reload();
    } catch (e) { toast(e.message, { error: true }); }
  }

  async function load() {
    try {
      const res = await pb.collection('materials').getList(state.page, PER_PAGE, { filter: filter(), sort: 'folder,title' });
      if (!ctx.isCurrent()) return;
      state.items = state.page === 1 ? res.items : [...state.items, ...res.items];
      const ids = new Set(state.items.map((m) => m.id));
      for (const id of [...state.selected]) if (!ids.has(id)) state.selected.delete(id);
      showSelection();
      more.hidden = res.page >= res.totalPages;
      replace(listEl, state.items.length ? h('ul', { class: 'list materials' }, state.items.map(row))
        : empty(teacher ? t('No materials here yet.') : t('Nothing has been shared with you yet.')));
    } catch (e) { replace(listEl, errorBox(e)); }
  }

  function reload() { state.page = 1; loadFolders(); load(); }

  const uploadFolder = field({ name: 'upload_folder', label: t('Upload into the folder'), maxlength: 200, value: state.folder || '', hint: t('Leave it empty for no folder.') });
  const uploads = uploadZone({
    limits,
    fields: () => ({ owner: me.id, folder: uploadFolder.querySelector('input').value.trim() }),
    onUploaded: (done) => { if (done.length) { toast(t('{n} uploaded.', { n: done.length })); reload(); } },
  });
  const staffLimits = r === 'admin' ? [h('h2', t('Upload limits')), limitsForm(await school(), (s) => { Object.assign(limits, limitsOf(s)); })] : null;
  replace(ctx.root,
    pageTitle(t('Materials'), r === 'tutor' ? h('button', { type: 'button', on: { click: () => linkDialog(state.folders, state.folder || '', reload) } }, t('Add a link')) : null),
    h('p', { class: 'muted' }, teacher
      ? t('Upload worksheets, recordings and links, keep them in folders, share them with your students or attach them to a lesson.')
      : t('Files and links your tutors shared with you. The newest version is shown; open the history for older ones.')),
    staffLimits,
    teacher ? [h('h2', t('Upload')), uploadFolder, uploads.element] : null,
    h('h2', r === 'admin' ? t('All materials') : t('Your materials')), folderSelect, bulk, listEl, more);
  showSelection();
  await loadFolders();
  await load();
}
