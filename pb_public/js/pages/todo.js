// Student: "To do", the homework of their lesson reports, soonest due
// first, each marked done here (with an optional file); live.
import { pb, currentUser } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { dateTime, viewerZone } from '../format.js';
import { pageTitle, loading, empty, errorBox } from '../ui.js';
import { dueText, homeworkDoneForm } from '../teaching.js';

export default async function todo(ctx) {
  ctx.setTitle(t('To do'));
  const openEl = h('div', loading());
  const doneEl = h('div', loading());
  replace(ctx.root, pageTitle(t('To do'), h('a', { href: '/progress' }, t('My progress'))),
    h('p', { class: 'zone-note' }, t('Times are shown in {zone}, your time zone.', { zone: viewerZone() })),
    h('section', { 'aria-labelledby': 'todo-h' }, h('h2', { id: 'todo-h' }, t('Homework to do')), openEl),
    h('section', { 'aria-labelledby': 'done-h' }, h('h2', { id: 'done-h' }, t('Done')), doneEl));
  const me = currentUser().id;
  const item = (r, withForm) => h('li', { class: 'card homework', dataset: { id: r.id } },
    h('p', { class: 'prewrap' }, r.homework),
    h('p', { class: 'small' }, r.due ? dueText(r.due) : t('No due date'), ' · ',
      h('a', { href: `/lessons/${r.booking}` }, t('Lesson of {date}', { date: dateTime(r.lesson_start) }))),
    r.homework_done_at ? h('p', { class: 'small' }, t('Done on {date}', { date: dateTime(r.homework_done_at) })) : null,
    withForm ? homeworkDoneForm(r, () => load()) : null);
  async function load() {
    let list;
    try {
      list = await pb.collection('lesson_reports').getList(1, 100, {
        filter: pb.filter('student = {:me} && homework != ""', { me }), sort: '-lesson_start',
      });
    } catch (err) { replace(openEl, errorBox(err)); replace(doneEl); return; }
    if (!ctx.isCurrent()) return;
    const open = list.items.filter((r) => !r.homework_done_at)
      .sort((a, b) => (a.due || '9999').localeCompare(b.due || '9999'));
    const done = list.items.filter((r) => r.homework_done_at);
    replace(openEl, open.length ? h('ul', { class: 'plain', id: 'todo' }, open.map((r) => item(r, true))) : empty(t('Nothing to do: well done.')));
    replace(doneEl, done.length ? h('ul', { class: 'plain', id: 'done' }, done.map((r) => item(r, false))) : empty(t('No homework done yet.')));
  }
  await load();
  const unsub = await pb.collection('lesson_reports').subscribe('*', () => load()).catch(() => null);
  return () => { if (unsub) unsub(); };
}
