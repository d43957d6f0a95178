// Admin: coupons and promotion codes. The list with each code's uses (held
// and redeemed), a form for a new one, and deactivation (a used coupon is
// kept: its redemptions and invoices name it). docs/payments.md.
import { pb } from '../pb.js';
import { h, replace } from '../dom.js';
import { t, tv } from '../i18n.js';
import { longDate, money, toCents } from '../format.js';
import { pageTitle, loading, empty, errorBox, table, toast } from '../ui.js';
import { field, checkGroup, checkedValues, errorSummary, showErrors, busy, clearErrors } from '../forms.js';

/** The instant of a day typed in a date field: its start in the browser's zone. */
function dayStart(v) { return v ? new Date(`${v}T00:00`).toISOString() : ''; }

function newCouponForm(onSaved) {
  const form = h('form', { class: 'card', novalidate: true }, errorSummary(),
    h('h2', t('New coupon')),
    h('div', { class: 'grid-form' },
      field({ name: 'code', label: t('Code'), required: true, maxlength: 40, hint: t('Letters, digits, - or _; the payer types it in any case.') }),
      field({ name: 'description', label: t('Description'), maxlength: 200 }),
      field({ name: 'percent', label: t('Percent off'), type: 'number', min: 1, max: 100, hint: t('Either a percentage or an amount.') }),
      field({ name: 'amount_off', label: t('Amount off'), inputmode: 'decimal' }),
      field({ name: 'currency', label: t('Currency'), value: 'EUR', maxlength: 3 }),
      field({ name: 'valid_from', label: t('Valid from'), type: 'date' }),
      field({ name: 'valid_until', label: t('Valid until (excluded)'), type: 'date' }),
      field({ name: 'max_uses', label: t('Uses in all'), type: 'number', min: 0, hint: t('0: no limit') }),
      field({ name: 'max_per_person', label: t('Uses per person'), type: 'number', min: 0, hint: t('0: no limit') })),
    checkGroup({ name: 'kinds', legend: t('For'), options: [['package', t('Packages')], ['lesson', t('Lessons')]], hint: t('None checked: both.') }),
    field({ name: 'first_purchase_only', label: t('Only for a first purchase'), type: 'checkbox' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Create coupon'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const f = form.elements;
      const currency = f.currency.value.trim().toUpperCase();
      const off = Math.max(toCents(f.amount_off.value, currency) || 0, 0);
      const body = {
        code: f.code.value.trim().toUpperCase(), description: f.description.value.trim(), active: true,
        percent: Number(f.percent.value) || 0, amount_off: off, currency: off ? currency : '',
        kinds: checkedValues(form, 'kinds'), valid_from: dayStart(f.valid_from.value), valid_until: dayStart(f.valid_until.value),
        max_uses: Number(f.max_uses.value) || 0, max_per_person: Number(f.max_per_person.value) || 0, first_purchase_only: f.first_purchase_only.checked,
      };
      try {
        await pb.collection('coupons').create(body);
        clearErrors(form); form.reset();
        toast(t('Coupon created.'));
        onSaved();
      } catch (err) { showErrors(form, err); }
    });
  });
  return form;
}

function discountOf(c) {
  return c.percent ? `${c.percent} %` : money(c.amount_off, c.currency);
}

export default async function adminCoupons(ctx) {
  ctx.setTitle(t('Coupons'));
  const listEl = h('div', loading());
  async function setActive(c, active) {
    try { await pb.collection('coupons').update(c.id, { active }); toast(active ? t('Coupon active again.') : t('Coupon deactivated.')); load(); } catch (e) { toast(e.message, { error: true }); }
  }
  async function load() {
    try {
      const [res, used] = await Promise.all([
        pb.collection('coupons').getList(1, 100, { sort: '-created', expand: 'people' }),
        pb.collection('coupon_redemptions').getFullList({ filter: 'status != "released"', fields: 'coupon' }),
      ]);
      if (!ctx.isCurrent()) return;
      const uses = {};
      for (const r of used) uses[r.coupon] = (uses[r.coupon] || 0) + 1;
      replace(listEl, res.items.length ? table([t('Code'), t('Discount'), t('For'), t('Valid'), { text: t('Uses'), class: 'num' }, t('Status'), t('Actions')],
        res.items.map((c) => h('tr', { dataset: { id: c.id } },
          h('td', h('strong', c.code), c.description ? h('div', { class: 'small muted' }, c.description) : null),
          h('td', discountOf(c)),
          h('td', (c.kinds && c.kinds.length ? c.kinds : ['package', 'lesson']).map((k) => tv('coupon', k)).join(', '), c.first_purchase_only ? h('div', { class: 'small muted' }, t('first purchase only')) : null,
            c.expand?.people?.length ? h('div', { class: 'small muted' }, t('only for {names}', { names: c.expand.people.map((p) => p.name || p.email).join(', ') })) : null),
          h('td', c.valid_from || c.valid_until ? `${c.valid_from ? longDate(c.valid_from) : '…'} – ${c.valid_until ? longDate(c.valid_until) : '…'}` : t('always')),
          h('td', { class: 'num uses' }, c.max_uses ? `${uses[c.id] || 0} / ${c.max_uses}` : String(uses[c.id] || 0)),
          h('td', c.active ? t('Active') : t('Inactive')),
          h('td', c.active ? h('button', { type: 'button', class: 'danger secondary', on: { click: () => setActive(c, false) } }, t('Deactivate'))
            : h('button', { type: 'button', class: 'secondary', on: { click: () => setActive(c, true) } }, t('Activate'))))),
        { caption: t('Coupons') }) : empty(t('No coupons yet.')));
    } catch (err) { replace(listEl, errorBox(err)); }
  }
  replace(ctx.root, pageTitle(t('Coupons')),
    h('p', { class: 'muted' }, t('Payers type a code in the checkout dialog. Uses count the codes held by a pending payment and those redeemed.')),
    newCouponForm(load), h('h2', t('All coupons')), listEl);
  await load();
}
