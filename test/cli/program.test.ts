// The program loads only the command it runs: every command must still be found under each of its names.
import { describe, expect, it } from 'vitest';
import { buildProgram, COMMANDS } from '../../src/adapters/cli/program.js';

const argv = (...words: string[]) => ['node', 'assent', ...words];

describe('buildProgram', () => {
  it('registers every command for help or an unknown name, in the listed order', async () => {
    const names = COMMANDS.flatMap(([n]) => n);
    for (const words of [[], ['help'], ['--db', 'x.db'], ['nonsense']]) {
      const program = await buildProgram(argv(...words));
      expect(program.commands.map((c) => c.name())).toEqual(names);
    }
  });

  it('registers only the named command, after global options, under each name a module defines', async () => {
    const all = (await buildProgram()).commands.map((c) => c.name());
    for (const name of all) {
      for (const words of [[name], ['--db', 'decide', name], ['--db=x.db', name, '--help']]) {
        const program = await buildProgram(argv(...words));
        const loaded = program.commands.map((c) => c.name());
        expect(loaded, `${words.join(' ')}`).toContain(name);
        expect(loaded.length, `${words.join(' ')}: only its own module`).toBeLessThanOrEqual(2);
      }
    }
  });

  it("lists, in a group's description that names its commands, each of them by its name", async () => {
    for (const group of (await buildProgram()).commands) {
      const listed = /: ([a-z-]+(?:, [a-z-]+)+)$/.exec(group.description())?.[1]?.split(', ');
      if (listed === undefined || group.commands.length === 0) continue;
      expect(listed.sort(), `assent ${group.name()} --help`).toEqual(group.commands.map((c) => c.name()).sort());
    }
  });
});
