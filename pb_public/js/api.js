// Custom routes of the server that pages call, in one place (the older
// pages still spell some of theirs; new ones go here).
import { pb } from './pb.js';

const post = (path, body) => pb.send(path, { method: 'POST', body: body || {} });

/** Proving the signed-in person's phone and connecting their Telegram (hooks/contacts.go). */
export const account = {
  /** Sends a code to the saved mobile number by 'sms' or 'whatsapp'. */
  sendPhoneCode: (channel) => post('/api/account/phone/send', { channel }),
  /** Checks the code; answers the updated users record. */
  verifyPhone: (code) => post('/api/account/phone/verify', { code }),
  /** A t.me link to the school's bot with a one-time token: {url, bot, expires_at}. */
  telegramLink: () => post('/api/account/telegram/link'),
  /** Reads the bot's messages now: {connected}. */
  telegramCheck: () => post('/api/account/telegram/check'),
  /** Stops Telegram messages; answers the updated users record. */
  telegramDisconnect: () => post('/api/account/telegram/disconnect'),
};
