// What the recipient-page tests share: the token secret, and a clock that moves a second each time the app reads it.
import { TokenSigner } from '../../src/services/tokens.js';

export const TOKEN_SECRET = { id: 't1', secret: 'test-secret-0123456789abcdef' };

/**
 * `now` for the app (each reading one second later, so recorded events keep their order), a signer on the same
 * clock that reads it without moving it, and the current time in seconds for token expiries and webhook stamps.
 */
export function tickingClock(startIso: string) {
  let ms = Date.parse(startIso);
  return {
    now: (): Date => {
      ms += 1000;
      return new Date(ms);
    },
    signer: new TokenSigner([TOKEN_SECRET], { now: () => new Date(ms) }),
    seconds: (): number => Math.floor(ms / 1000),
  };
}
