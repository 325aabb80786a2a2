// How SMS leave: through a provider behind a small interface (emails: src/services/mail.ts).

export interface SmsProvider {
  send(sms: { to: string; text: string }): Promise<void>;
}

/**
 * SMS through a provider's HTTP API: POST `{"to": "+33…", "text": "…"}` as JSON to `url`, with
 * `Authorization: Bearer <token>` when one is set; any 2xx is sent. An adapter for a given provider wraps this shape.
 */
export function httpSmsProvider(url: string, token: string | null, fetchFn: typeof fetch = fetch): SmsProvider {
  return {
    async send(sms) {
      const res = await fetchFn(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(sms),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw Object.assign(new Error(`SMS provider answered ${res.status}`), { status: res.status });
    },
  };
}
