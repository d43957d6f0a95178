// Monthly statements (internal/app/statements): pick a month that has
// ended and download its PDF.
import { download } from './pb.js';
import { h } from './dom.js';
import { t, locale } from './i18n.js';
import { toast } from './ui.js';
import { field } from './forms.js';
import { statementPath } from './api.js';

/** The n months before this one, newest first, as "2027-03". */
function pastMonths(n = 12) {
  const now = new Date();
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(now.getFullYear(), now.getMonth() - 1 - i, 1);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  });
}

function monthLabel(m) {
  const [y, mo] = m.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric' }).format(new Date(y, mo - 1, 1));
}

/** A month picker and a download button for the statement of query's person ({as: 'payer'} for a tutor's own payments). */
export function statementPicker(query = {}) {
  const months = pastMonths();
  const pick = field({ name: 'month', label: t('Month'), type: 'select', options: months.map((m) => [m, monthLabel(m)]), value: months[0] });
  const go = h('button', { type: 'button', class: 'secondary', on: { click: async () => {
    const m = pick.querySelector('select').value;
    try { await download(statementPath(m, query), `statement-${m}.pdf`); } catch { toast(t('The download failed.'), { error: true }); }
  } } }, t('Download the statement (PDF)'));
  return h('div', { class: 'statement-picker' }, h('p', { class: 'muted' }, t('A statement of each month that has ended.')), pick, h('div', { class: 'actions' }, go));
}
