// How long an SMS is on the network (3GPP TS 23.038): GSM 7-bit text takes 160 characters in one part and 153 per
// part beyond; a single character outside that alphabet (’, é is in it, ê is not) makes the whole text UCS-2: 70 in
// one part, 67 per part beyond. Each part is billed and may arrive apart.

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters of the extension table: each takes two septets (an escape and itself). */
const GSM7_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set(GSM7_BASIC);
const EXTENDED = new Set(GSM7_EXTENDED);

export interface SmsLength {
  /** Characters as the network counts them (septets in GSM 7-bit, UTF-16 units in UCS-2). */
  units: number;
  encoding: 'GSM-7' | 'UCS-2';
  parts: number;
  /** The first character that forces UCS-2, if any: replacing it may shorten the message a lot. */
  outside: string | null;
}

export function smsLength(text: string): SmsLength {
  let septets = 0;
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENDED.has(ch)) septets += 2;
    else {
      const units = text.length;
      return { units, encoding: 'UCS-2', parts: units <= 70 ? 1 : Math.ceil(units / 67), outside: ch };
    }
  }
  return { units: septets, encoding: 'GSM-7', parts: septets <= 160 ? 1 : Math.ceil(septets / 153), outside: null };
}
