// Family: a guardian's students (the one they act for, adding a child
// without an email) or a student's guardians (inviting one by email).
import { pb, currentUser, role } from '../pb.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle, loading, empty, errorBox, toast, confirmDialog, pill } from '../ui.js';
import { field, errorSummary, showErrors, busy, clearErrors } from '../forms.js';
import { guardians, myStudents, chosenStudent, chooseStudent } from '../api.js';

export default async function family(ctx) {
  ctx.setTitle(t('Family'));
  const box = h('div', loading());
  replace(ctx.root, pageTitle(t('Family')), box);
  const load = async () => {
    try { replace(box, role() === 'guardian' ? await guardianView(load) : await studentView(load)); } catch (err) { replace(box, errorBox(err)); }
  };
  await load();
}

async function guardianView(reload) {
  const me = currentUser();
  const students = await myStudents(me.id);
  const current = chosenStudent(students);
  const switcher = students.length ? field({
    name: 'student', label: t('I am acting for'), type: 'select', value: current && current.id,
    options: students.map((s) => [s.id, s.name]), hint: t('Lessons you book are for this student.'),
  }) : null;
  if (switcher) switcher.querySelector('select').addEventListener('change', (e) => { chooseStudent(e.target.value); toast(t('You now act for {name}.', { name: students.find((s) => s.id === e.target.value).name })); });
  const form = h('form', { class: 'card', novalidate: true, id: 'add-child' }, errorSummary(),
    field({ name: 'name', label: t("Child's name"), required: true, maxlength: 120 }),
    field({ name: 'birth_date', label: t('Birth date (optional)'), type: 'date' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Add child'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const body = { name: form.elements.name.value.trim() };
      if (form.elements.birth_date.value) body.birth_date = form.elements.birth_date.value;
      try {
        const child = await guardians.addChild(body);
        chooseStudent(child.id);
        toast(t('{name} was added.', { name: child.name }));
        await reload();
      } catch (err) { showErrors(form, err); }
    });
  });
  const second = students.length ? h('form', { class: 'card', novalidate: true, id: 'invite-second' }, errorSummary(),
    field({ name: 'student', label: t('For'), type: 'select', value: current && current.id, options: students.map((s) => [s.id, s.name]) }),
    field({ name: 'email', label: t("The other parent's or guardian's email"), type: 'email', required: true, autocomplete: 'off' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Send the invitation')))) : null;
  if (second) {
    second.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(second, async () => {
        const email = second.elements.email.value.trim();
        try { await guardians.invite(email, second.elements.student.value); toast(t('Invitation sent to {email}.', { email })); second.reset(); clearErrors(second); } catch (err) { showErrors(second, err); }
      });
    });
  }
  return [
    h('section', { 'aria-labelledby': 'kids-h' }, h('h2', { id: 'kids-h' }, t('Your students')),
      students.length ? [switcher, h('ul', { class: 'list', id: 'students' }, students.map((s) => h('li', h('strong', s.name), ' ',
        h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: !s.muted, on: { change: (e) => setNotices(s, e.target) } }),
          t("Send me {name}'s reminders and lesson notices", { name: s.name })), ' ',
        h('button', { type: 'button', class: 'linklike', on: { click: () => removeLink(s.link, reload) } }, t('Stop managing')))))]
        : empty(t('No students yet: add a child below, or open the invitation a student sent you.')),
      h('p', h('a', { class: 'button', href: '/' }, t('Book a lesson')))),
    h('section', { 'aria-labelledby': 'add-h' }, h('h2', { id: 'add-h' }, t('Add a child')),
      h('p', { class: 'muted' }, t('A child needs no email of their own: you book, pay and receive the messages for them.')), form),
    second ? h('section', { 'aria-labelledby': 'second-h' }, h('h2', { id: 'second-h' }, t('Invite another guardian')),
      h('p', { class: 'muted' }, t('Another parent or guardian can book and pay too, get the reminders and read the lesson reports.')), second) : null,
  ];
}

async function studentView(reload) {
  const me = currentUser();
  const links = await pb.collection('guardians').getFullList({ filter: pb.filter('student = {:me}', { me: me.id }), expand: 'guardian', sort: 'created' });
  const form = h('form', { class: 'card', novalidate: true, id: 'invite-guardian' }, errorSummary(),
    field({ name: 'email', label: t("Your parent's or guardian's email"), type: 'email', required: true, autocomplete: 'off' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Send the invitation'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const email = form.elements.email.value.trim();
      try { await guardians.invite(email); toast(t('Invitation sent to {email}.', { email })); await reload(); } catch (err) { showErrors(form, err); }
    });
  });
  const name = (l) => (l.expand && l.expand.guardian && l.expand.guardian.name) || l.email;
  return [
    h('section', { 'aria-labelledby': 'g-h' }, h('h2', { id: 'g-h' }, t('Your guardians')),
      links.length ? h('ul', { class: 'list', id: 'guardians' }, links.map((l) => h('li', h('strong', name(l)), ' ', pill('guardian', l.status), ' ',
        h('button', { type: 'button', class: 'linklike', on: { click: () => removeLink(l.id, reload) } }, l.status === 'invited' ? t('Withdraw') : t('Remove')))))
        : empty(t('No guardians yet.'))),
    h('section', { 'aria-labelledby': 'inv-h' }, h('h2', { id: 'inv-h' }, t('Invite a guardian')),
      h('p', { class: 'muted' }, t('A parent or guardian can book and pay for your lessons, get your reminders and read your lesson reports.')), form),
  ];
}

async function setNotices(s, box) {
  try { await guardians.notices(s.link, box.checked); toast(box.checked ? t('You will receive them.') : t('You will not receive them.')); } catch (err) {
    box.checked = !box.checked;
    toast((err.response && err.response.message) || err.message, { error: true });
  }
}

async function removeLink(id, reload) {
  if (!await confirmDialog(t('Remove'), t('End this family link? It can be made again with a new invitation.'), { danger: true, confirm: t('Remove') })) return;
  try { await guardians.remove(id); await reload(); } catch (err) { toast((err.response && err.response.message) || err.message, { error: true }); }
}
