// Shared by the campaign tests: the reference templates (data/templates.json) and a token signer.
import { readFileSync } from 'node:fs';
import type { MessageTemplate } from '../../src/services/campaigns/templates.js';
import { TokenSigner } from '../../src/services/tokens.js';

const data = JSON.parse(readFileSync(new URL('./data/templates.json', import.meta.url), 'utf8')) as Record<
  'email' | 'sms' | 'call',
  MessageTemplate
>;

/** A fresh copy of a reference template, with overrides. */
export function template(kind: 'email' | 'sms' | 'call', over: Partial<MessageTemplate> = {}): MessageTemplate {
  return { ...structuredClone(data[kind]), ...over };
}

export const signer = new TokenSigner([{ id: 'k1', secret: 'campaign-test-secret-0123456789' }]);
