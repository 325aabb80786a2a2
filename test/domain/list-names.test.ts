// Usual names of opposition lists map to the ids the rule packs use; unknown names stay as given (lower-cased).
import { describe, expect, it } from 'vitest';
import { listId } from '../../src/domain/list-names.js';

describe('listId', () => {
  it.each([
    ["Ne m'appelez plus", 'dncm'],
    ['nmap', 'dncm'],
    ['Bel me niet meer', 'dncm'],
    ['Bel-me-niet Register', 'bel-me-niet'],
    ['Robinsonliste', 'robinson'],
    ['Lista Robinson', 'robinson'],
    ['ECG-Liste', 'ecg'],
    ['Registro pubblico delle opposizioni', 'rpo'],
    ['National Do Not Call Registry', 'dnc'],
    ['Telephone Preference Service', 'tps'],
    ['BLOCTEL', 'bloctel'],
    ['registro_opposizioni', 'rpo'],
    ['Registro delle opposizioni', 'rpo'],
    ['Do Not Call Me', 'dncm'],
    ['Liste Robinson Stop Publicité', 'robinson'],
    ['stop_publicite', 'robinson'],
    ['E-Commerce-Gesetz-Liste', 'ecg'],
    ['national_do_not_call', 'dnc'],
    ['my-own_list', 'my-own_list'],
  ])('%s → %s', (name, id) => {
    expect(listId(name)).toBe(id);
  });
});
