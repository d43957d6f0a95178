// Forms: labelled fields with hint and error slots (aria-describedby), and
// the API's field errors shown next to their fields, with a summary of the
// rest.
import { h, nextId, replace } from './dom.js';
import { t } from './i18n.js';

/**
 * field({name, label, type, value, required, options, hint, ...attrs})
 * types: text, email, password, number, date, time, datetime-local, textarea, select, checkbox.
 */
export function field(o) {
  const id = nextId(o.name);
  const hintId = o.hint ? `${id}-hint` : null;
  const errId = `${id}-err`;
  const describedBy = [hintId, errId].filter(Boolean).join(' ');
  const attrs = { id, name: o.name, required: o.required, 'aria-describedby': describedBy };
  for (const k of ['min', 'max', 'step', 'placeholder', 'autocomplete', 'inputmode', 'pattern', 'maxlength', 'minlength', 'multiple', 'size', 'disabled']) if (o[k] !== undefined) attrs[k] = o[k];
  let input;
  if (o.type === 'textarea') input = h('textarea', { ...attrs, rows: o.rows || 4 }, o.value || '');
  else if (o.type === 'select') {
    input = h('select', attrs, (o.options || []).map((opt) => {
      const [value, label] = Array.isArray(opt) ? opt : [opt, opt];
      const sel = o.multiple ? (o.value || []).includes(value) : String(o.value ?? '') === String(value);
      return h('option', { value, selected: sel }, label);
    }));
  } else if (o.type === 'checkbox') {
    input = h('input', { ...attrs, type: 'checkbox', checked: !!o.value });
    return h('div', { class: 'field', dataset: { field: o.name } },
      h('label', { class: 'check', for: id }, input, o.label),
      hintId ? h('span', { class: 'hint', id: hintId }, o.hint) : null,
      h('p', { class: 'field-error', id: errId }));
  } else input = h('input', { ...attrs, type: o.type || 'text', value: o.value ?? '' });
  return h('div', { class: 'field', dataset: { field: o.name } },
    h('label', { for: id }, o.label),
    hintId ? h('span', { class: 'hint', id: hintId }, o.hint) : null,
    input,
    h('p', { class: 'field-error', id: errId }));
}

/** A group of checkboxes named name (values[]), in a fieldset with its own error slot. */
export function checkGroup({ name, legend, options, values = [], hint }) {
  const errId = nextId(`${name}-err`);
  const hintId = hint ? nextId(`${name}-hint`) : null;
  return h('fieldset', { class: 'field', dataset: { field: name }, 'aria-describedby': [hintId, errId].filter(Boolean).join(' ') },
    h('legend', legend),
    hintId ? h('span', { class: 'hint', id: hintId }, hint) : null,
    h('div', { class: 'checks' }, options.map(([value, label]) => {
      const id = nextId(name);
      return h('label', { class: 'check', for: id }, h('input', { type: 'checkbox', id, name, value, checked: values.map(String).includes(String(value)) }), label);
    })),
    h('p', { class: 'field-error', id: errId }));
}

/** The values of a form's checkboxes named name. */
export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[type=checkbox][name="${name}"]`)].filter((x) => x.checked).map((x) => x.value);
}

/** The error summary box a form shows its unplaced errors in; put it at the top of the form. */
export function errorSummary() {
  return h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' });
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const sum = form.querySelector('.error-summary');
  if (sum) replace(sum);
}

/**
 * Shows a ClientResponseError on form: each field error next to its field
 * (matching data-field), the others and the message in the summary. Returns
 * true when something was shown. aliases maps API field names to form fields.
 */
export function showErrors(form, err, { aliases = {}, message, ignore = [] } = {}) {
  clearErrors(form);
  const data = (err && err.response && err.response.data) || {};
  const unplaced = [];
  let first = null;
  for (const [key, val] of Object.entries(data)) {
    if (!val || typeof val !== 'object' || ignore.includes(key)) continue;
    const text = val.message || val.code || String(val);
    const name = aliases[key] || key;
    const wrap = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (wrap && typeof val.message === 'string') {
      wrap.querySelector('.field-error').textContent = text;
      wrap.closest('details')?.setAttribute('open', ''); // a folded field with an error is shown
      const input = wrap.matches('fieldset') ? wrap : wrap.querySelector('input, select, textarea');
      if (input) { input.setAttribute('aria-invalid', 'true'); first = first || (wrap.matches('fieldset') ? wrap.querySelector('input') : input); }
    } else if (typeof val.message === 'string') unplaced.push(`${key}: ${text}`);
  }
  const sum = form.querySelector('.error-summary');
  const headline = message || (err && err.response && err.response.message) || (err && err.message) || t('Something went wrong.');
  if (sum) {
    replace(sum, h('p', { class: 'm0' }, headline), unplaced.length ? h('ul', unplaced.map((u) => h('li', u))) : null);
    if (!first) sum.focus();
  }
  if (first) first.focus();
  return true;
}

/** Disables a form's submit button while work runs. */
export async function busy(form, work) {
  const btns = [...form.querySelectorAll('button[type=submit]')];
  btns.forEach((b) => { b.disabled = true; b.setAttribute('aria-busy', 'true'); });
  try { return await work(); } finally { btns.forEach((b) => { b.disabled = false; b.removeAttribute('aria-busy'); }); }
}
