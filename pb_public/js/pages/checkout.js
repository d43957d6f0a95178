// Where Stripe Checkout sends the student back.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle } from '../ui.js';

export default async function checkout(ctx) {
  const ok = ctx.path === '/checkout/success';
  const title = ok ? t('Thank you for your payment') : t('Payment cancelled');
  ctx.setTitle(title);
  replace(ctx.root, pageTitle(title),
    h('p', { class: ok ? 'notice success' : 'notice warning', role: 'status' },
      ok ? t('We will confirm it as soon as the payment provider tells us: your credits then appear under Credits.') : t('Nothing was charged. You can try again whenever you like.')),
    h('div', { class: 'actions' }, h('a', { class: 'button', href: '/payments' }, t('See my payments')), h('a', { class: 'button secondary', href: '/lessons' }, t('My lessons'))));
}
