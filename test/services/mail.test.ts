// The SMTP timeouts a campaign runs with: a server that never answers must not hold it for ten minutes a message, nor
// one that never greets for 30 s a message.
import { describe, expect, it } from 'vitest';
import { SMTP_CONNECT_TIMEOUT_MS } from '../../src/config.js';
import { withTimeouts } from '../../src/services/mail.js';

describe('withTimeouts', () => {
  it('adds the timeouts an SMTP URL does not set, keeps those it sets, and its credentials as written', () => {
    const url = new URL(withTimeouts('smtp://us%40er:p%3Ass@relay.example:587?socketTimeout=5000'));
    expect(url.searchParams.get('socketTimeout')).toBe('5000');
    expect(url.searchParams.get('connectionTimeout')).toBe(String(SMTP_CONNECT_TIMEOUT_MS));
    expect(url.searchParams.get('greetingTimeout')).toBe(String(SMTP_CONNECT_TIMEOUT_MS));
    expect([url.username, url.password, url.host]).toEqual(['us%40er', 'p%3Ass', 'relay.example:587']);
    expect(new URL(withTimeouts('smtps://relay.example')).searchParams.get('socketTimeout')).toBe('60000');
  });

  it('takes the connection and greeting timeout given (ASSENT_SMTP_CONNECT_TIMEOUT_MS), the URL still winning', () => {
    const url = new URL(withTimeouts('smtp://relay.example?greetingTimeout=7000', 2500));
    expect(url.searchParams.get('connectionTimeout')).toBe('2500');
    expect(url.searchParams.get('greetingTimeout')).toBe('7000');
  });
});
