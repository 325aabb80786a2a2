// The routes of the HTTP adapter and the scope each must demand: the auth matrix and the hostile tests use it.
import type { ApiScope } from '../../src/store/api-keys.js';
import { FR_PHONE } from './helpers.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export interface RouteCase {
  method: Method;
  /** The OpenAPI path, `{id}` for the parameter. */
  path: string;
  scope: ApiScope | 'public';
  body?: unknown;
}

/** The routes of this adapter and the scope each must demand. */
export const ROUTES: RouteCase[] = [
  { method: 'POST', path: '/v1/evaluate', scope: 'decide', body: FR_PHONE },
  {
    method: 'POST',
    path: '/v1/decisions',
    scope: 'decide',
    body: { contact: { email: 'a@example.fr' }, message: { channel: 'email' } },
  },
  { method: 'POST', path: '/v1/contacts', scope: 'write', body: { jurisdiction: 'FR' } },
  { method: 'GET', path: '/v1/contacts', scope: 'read' },
  { method: 'GET', path: '/v1/contacts/{id}', scope: 'read' },
  { method: 'PATCH', path: '/v1/contacts/{id}', scope: 'write', body: { region: 'FR-75' } },
  { method: 'POST', path: '/v1/contacts/{id}/merge', scope: 'write', body: { from: 'other' } },
  { method: 'GET', path: '/v1/contacts/{id}/history', scope: 'read' },
  { method: 'DELETE', path: '/v1/contacts/{id}', scope: 'admin' },
  { method: 'GET', path: '/v1/contacts/{id}/access', scope: 'read' },
  { method: 'GET', path: '/v1/contacts/{id}/proof', scope: 'read' },
  { method: 'GET', path: '/v1/contacts/{id}/links', scope: 'write' },
  { method: 'POST', path: '/v1/retention/purge', scope: 'admin', body: { dryRun: true } },
  { method: 'GET', path: '/v1/register', scope: 'admin' },
  {
    method: 'POST',
    path: '/v1/events',
    scope: 'write',
    body: { contact: { id: 'x' }, type: 'purchase', at: '2026-01-01' },
  },
  {
    method: 'POST',
    path: '/v1/consent-texts',
    scope: 'write',
    body: { key: 'k', version: '1', language: 'fr', body: 'b' },
  },
  { method: 'GET', path: '/v1/consent-texts', scope: 'read' },
  { method: 'GET', path: '/v1/consent-texts/{id}', scope: 'read' },
  { method: 'GET', path: '/v1/ledger/verify', scope: 'read' },
  // The query names the channel (`?channel=email`); the body is CSV (other content types: 415).
  { method: 'POST', path: '/v1/screenings/stream', scope: 'decide', body: 'email\nana@example.fr\n' },
  { method: 'GET', path: '/metrics', scope: 'read' },
  { method: 'GET', path: '/healthz', scope: 'public' },
  { method: 'GET', path: '/readyz', scope: 'public' },
];
