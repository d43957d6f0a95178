// Admin: notification deliveries per channel (report) and the outbox, with
// retry of failed ones.
import { pb } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { dateTime } from '../format.js';
import { pageTitle, loading, empty, errorBox, pill, table, toast } from '../ui.js';
import { field } from '../forms.js';
import { CHANNELS } from './settings.js';

export default async function deliveries(ctx) {
  ctx.setTitle(t('Deliveries'));
  const q = ctx.query;
  const reportEl = h('div', loading());
  const listEl = h('div', loading());
  const form = h('form', { class: 'filters-inline', role: 'search', 'aria-label': t('Filter deliveries') },
    field({ name: 'status', label: t('Status'), type: 'select', value: q.get('status') || '', options: [['', t('Any')], ...['queued', 'sending', 'sent', 'failed', 'skipped'].map((s) => [s, tv('status', s)])] }),
    field({ name: 'channel', label: t('Channel'), type: 'select', value: q.get('channel') || '', options: [['', t('Any')], ...CHANNELS.filter((c) => c !== 'inapp').map((c) => [c, tv('channel', c)])] }),
    h('div', { class: 'actions m0' }, h('button', { type: 'submit' }, t('Filter'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const k of ['status', 'channel']) if (form.elements[k].value) p.set(k, form.elements[k].value);
    ctx.navigate(`/admin/deliveries${p.toString() ? `?${p}` : ''}`);
  });
  replace(ctx.root, pageTitle(t('Deliveries')),
    h('section', { 'aria-labelledby': 'nr-h' }, h('h2', { id: 'nr-h' }, t('Last 12 weeks by channel')), reportEl),
    h('section', { 'aria-labelledby': 'ob-h' }, h('h2', { id: 'ob-h' }, t('Outbox')), form, listEl));
  pb.send('/api/reports/notifications', {}).then((res) => {
    replace(reportEl, table([t('Channel'), { text: t('Sent'), class: 'num' }, { text: t('Failed'), class: 'num' }, { text: t('Queued'), class: 'num' }, { text: t('Skipped'), class: 'num' }, { text: t('Read'), class: 'num' }],
      res.rows.map((r) => h('tr', h('th', { scope: 'row' }, tv('channel', r.channel)), ['sent', 'failed', 'queued', 'skipped'].map((k) => h('td', { class: 'num' }, String(r[k] ?? 0))),
        h('td', { class: 'num' }, r.read_rate === '' || r.read_rate === undefined ? '—' : `${Math.round(Number(r.read_rate) * 100)} %`)))));
  }).catch((err) => replace(reportEl, errorBox(err)));

  async function load() {
    const parts = []; const params = {};
    if (q.get('status')) { parts.push('status = {:status}'); params.status = q.get('status'); }
    if (q.get('channel')) { parts.push('channel = {:channel}'); params.channel = q.get('channel'); }
    try {
      const res = await pb.collection('deliveries').getList(1, 100, { filter: parts.length ? pb.filter(parts.join(' && '), params) : '', sort: '-created', expand: 'user,notification' });
      if (!ctx.isCurrent()) return;
      replace(listEl, res.items.length ? table([t('Created'), t('To'), t('Message'), t('Channel'), t('Status'), t('Attempts'), t('Actions')], res.items.map((d) => h('tr', { dataset: { id: d.id } },
        h('td', dateTime(d.created)), h('td', d.expand && d.expand.user ? d.expand.user.name : '', d.recipient ? h('div', { class: 'small muted' }, d.recipient) : null),
        h('td', message(d.expand && d.expand.notification)), h('td', tv('channel', d.channel)),
        h('td', pill('status', d.status), d.last_error ? h('div', { class: 'small muted' }, d.last_error) : null, notConfigured(d), d.sent_at ? h('div', { class: 'small muted' }, dateTime(d.sent_at)) : null),
        h('td', String(d.attempts || 0)),
        h('td', ['failed', 'skipped'].includes(d.status) ? h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          try { await pb.send(`/api/deliveries/${d.id}/retry`, { method: 'POST' }); toast(t('Queued again.')); load(); } catch (e) { toast(e.message, { error: true }); }
        } } }, t('Retry')) : '—')))) : empty(t('No deliveries match.')));
    } catch (err) { replace(listEl, errorBox(err)); }
  }
  await load();
}

/** A delivery's message: its title, and the text on demand. */
function message(n) {
  if (!n) return '—';
  const text = n.app || n.body;
  return text ? h('details', { class: 'message' }, h('summary', n.title), h('p', { class: 'small pre-line' }, text)) : n.title;
}

/** For a channel that is not set up: where to set it up. */
function notConfigured(d) {
  if (d.last_error !== 'not configured') return null;
  if (d.channel === 'email') {
    return h('div', { class: 'small' }, h('a', { href: '/_/#/settings/mail', target: '_blank', rel: 'noopener', 'data-external': '' }, t('Set up email: dashboard → Settings → Mail settings')));
  }
  const vars = d.channel === 'telegram' ? 'TELEGRAM_BOT_TOKEN' : d.channel === 'whatsapp' ? 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM' : 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM';
  return h('div', { class: 'small' }, t("Set {vars} in the server's environment and restart it.", { vars }));
}
