// Google Picker for a link material: a tutor picks a Drive file or folder
// in Google's own window instead of pasting its address. The Picker's
// script loads from apis.google.com only when the school configured it
// (GOOGLE_PICKER_API_KEY, GOOGLE_PICKER_APP_ID) and the tutor connected
// Google; otherwise nothing is shown and the address is pasted as before
// (docs/calendars.md).
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { toast } from './ui.js';
import { googleDrive } from './api.js';

let gapiPromise = null;
function loadPicker() {
  if (!gapiPromise) {
    gapiPromise = new Promise((resolve, reject) => {
      const s = h('script', { src: 'https://apis.google.com/js/api.js', async: true });
      s.addEventListener('load', () => window.gapi.load('picker', { callback: resolve, onerror: reject }));
      s.addEventListener('error', reject);
      document.head.append(s);
    }).catch((e) => { gapiPromise = null; throw e; });
  }
  return gapiPromise;
}

/**
 * Fills slot with a "Choose from Google Drive" button when the Picker is
 * available; a picked file's address goes into url (and its name into
 * title when empty).
 */
export async function pickerButton(slot, { url, title }) {
  let cfg;
  try { cfg = await googleDrive.picker(); } catch { return; } // not connected: the address is pasted
  if (!cfg.available) return;
  replace(slot, h('button', { type: 'button', class: 'secondary', on: { click: async () => {
    try {
      const fresh = await googleDrive.picker(); // a token valid now
      await loadPicker();
      const g = window.google.picker;
      new g.PickerBuilder()
        .addView(new g.DocsView().setIncludeFolders(true).setSelectFolderEnabled(true))
        .setOAuthToken(fresh.access_token).setDeveloperKey(fresh.api_key).setAppId(fresh.app_id)
        .setCallback((data) => {
          if (data.action !== g.Action.PICKED || !data.docs || !data.docs.length) return;
          url.value = data.docs[0].url;
          if (!title.value.trim()) title.value = data.docs[0].name || '';
        }).build().setVisible(true);
    } catch { toast(t('Google Drive could not be opened here: paste the file\'s address instead.'), { error: true }); }
  } } }, t('Choose from Google Drive')));
}
