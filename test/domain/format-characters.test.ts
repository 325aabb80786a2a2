import { describe, expect, it } from 'vitest';
import { formatCharacterIn } from '../../src/domain/format-characters.js';

describe('invisible format characters', () => {
  it('finds the first, with its code point, name and position', () => {
    expect(formatCharacterIn('crm-7\u202e21')).toEqual({ character: 'U+202E RIGHT-TO-LEFT OVERRIDE', position: 6 });
    expect(formatCharacterIn('a\u200bb')).toEqual({ character: 'U+200B ZERO WIDTH SPACE', position: 2 });
    expect(formatCharacterIn('\ufeffcrm')).toEqual({ character: 'U+FEFF ZERO WIDTH NO-BREAK SPACE', position: 1 });
    expect(formatCharacterIn('x\u{e0001}')).toEqual({ character: 'U+E0001', position: 2 });
  });

  it('keeps what letters need: the joiners of Persian and Indic scripts, and plain text', () => {
    expect(formatCharacterIn('می\u200cخواهم')).toBeNull();
    expect(formatCharacterIn('क्\u200dष')).toBeNull();
    expect(formatCharacterIn('12 rue de la Paix, Paris')).toBeNull();
  });
});
