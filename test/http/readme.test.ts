// The README's HTTP example, run as a new user would: make a key with the CLI, start the server, call it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const dataDir = mkdtempSync(join(tmpdir(), 'assent-readme-'));
const servers: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) if (s.exitCode === null) s.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The sh block and the json block that follow the "## HTTP API" heading. */
function example(): { commands: string[]; expected: string } {
  const section = readme.slice(readme.indexOf('## HTTP API'));
  const sh = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const json = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  // one command per line; a trailing backslash continues it
  return { commands: sh.replace(/\\\n/g, '').trim().split('\n'), expected: json.trim() };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The environment of a new user's shell: the default SQLite store (here in a temporary folder). */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _, PORT: __, HOST: ___, ...rest } = process.env;
  return { ...rest, ASSENT_DATA_DIR: dataDir, ...extra };
}

/** `curl -s URL -H … -d …` by fetch, for machines without curl. */
async function fetchLikeCurl(command: string, vars: Record<string, string>): Promise<string> {
  const args = [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) =>
    (m[1] ?? m[2] ?? m[3] ?? '').replace(/\$(\w+)/g, (_, v: string) => vars[v] ?? ''),
  );
  const headers: Record<string, string> = {};
  let url = '';
  let body: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-H') {
      const [name, ...value] = (args[++i] as string).split(':');
      headers[name?.trim() as string] = value.join(':').trim();
    } else if (a === '-d') body = args[++i];
    else if (a.startsWith('http')) url = a;
  }
  return (await fetch(url, { method: body === undefined ? 'GET' : 'POST', headers, body })).text();
}

it('runs the README example: a key from the CLI, `npm start`, the curl call and its answer', async () => {
  const { commands, expected } = example();
  expect(commands).toHaveLength(3);
  const [makeKey, start, call] = commands as [string, string, string];
  expect(makeKey).toMatch(/^export ASSENT_KEY=\$\(\.\/bin\/assent keys create /);
  expect(start).toMatch(/^npm start &/);
  expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start).toBe('node bin/assent serve');
  expect(call).toMatch(/^curl /);

  const key = spawnSync('bash', ['-c', `${makeKey} && echo "$ASSENT_KEY"`], {
    cwd: root,
    env: env(),
    encoding: 'utf8',
  });
  expect(key.status, key.stderr).toBe(0);
  expect(key.stderr).toContain('shown this once');
  const secret = key.stdout.trim();
  expect(secret).toMatch(/^ak_[A-Za-z0-9_-]{43}$/);

  // `npm start` is `node bin/assent serve` (checked above); started directly so the test owns the process.
  const port = await freePort();
  const server = spawn(process.execPath, ['bin/assent', 'serve'], {
    cwd: root,
    env: env({ PORT: String(port), LOG_LEVEL: 'warn' }),
  });
  servers.push(server);
  let stderr = '';
  server.stderr.on('data', (d) => {
    stderr += String(d);
  });
  await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok);
  expect(stderr).toContain(`serving http://127.0.0.1:${port}`);

  const command = call.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`);
  const hasCurl = spawnSync('sh', ['-c', 'command -v curl']).status === 0;
  const answer = hasCurl
    ? spawnSync('bash', ['-c', command], { env: env({ ASSENT_KEY: secret }), encoding: 'utf8' }).stdout
    : await fetchLikeCurl(command, { ASSENT_KEY: secret });
  expect(JSON.parse(answer)).toEqual(JSON.parse(expected));
  expect(answer.trim()).toBe(expected);

  server.kill('SIGTERM');
  const code = await new Promise((resolve) => server.once('exit', resolve));
  expect(code).toBe(0);
  expect(stderr).toContain('SIGTERM: finishing requests in flight');
}, 30_000);

it('lists and revokes keys from the CLI; a revoked key is refused by a running server', async () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['bin/assent', ...args], { cwd: root, env: env(), encoding: 'utf8' });
  const made = cli(['keys', 'create', '--name', 'ops', '--scope', 'read', '--scope', 'write']);
  expect(made.status, made.stderr).toBe(0);
  const listed = JSON.parse(cli(['keys', 'list']).stdout) as {
    id: string;
    name: string;
    scopes: string[];
    prefix: string;
  }[];
  const ops = listed.find((k) => k.name === 'ops');
  expect(ops).toMatchObject({ scopes: ['read', 'write'] });
  expect(made.stdout.startsWith(ops?.prefix as string)).toBe(true);
  expect(cli(['keys', 'list']).stdout).not.toContain(made.stdout.trim());
  expect(cli(['keys', 'create', '--name', 'x', '--scope', 'root']).status).toBe(64);
  expect(cli(['keys', 'revoke', 'no-such-key']).status).toBe(4);

  const port = await freePort();
  const server = spawn(process.execPath, ['bin/assent', 'serve', '--port', String(port)], {
    cwd: root,
    env: env({ LOG_LEVEL: 'warn', ASSENT_KEY_CACHE_MS: '300' }),
  });
  servers.push(server);
  await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok);
  const get = () =>
    fetch(`http://127.0.0.1:${port}/v1/consent-texts`, { headers: { 'x-api-key': made.stdout.trim() } });
  expect((await get()).status).toBe(200);
  expect(JSON.parse(cli(['keys', 'revoke', ops?.id as string]).stdout).revokedAt).not.toBeNull();
  // a running server trusts a known key for ASSENT_KEY_CACHE_MS (default 5 s), then asks the store again
  await until(async () => (await get()).status === 401, 3_000);
  server.kill('SIGINT');
  expect(await new Promise((resolve) => server.once('exit', resolve))).toBe(0);
}, 30_000);

async function until(ok: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await ok()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The README's rights block runs as written, after its stored-contacts block stored jane (in a folder of its own). */
it('runs the README rights commands as written', () => {
  const block = (heading: string) =>
    (/```sh\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(heading)))?.[1] ?? '').replace(/\\\n/g, '').trim();
  const cwd = mkdtempSync(join(tmpdir(), 'assent-readme-rights-'));
  try {
    const bin = join(root, 'bin', 'assent');
    const stored = block('## Stored contacts').split('\n').slice(0, 2); // contacts add, events add
    for (const line of [...stored, ...block("## The person's rights").split('\n')]) {
      const r = spawnSync('bash', ['-c', line.replaceAll('./bin/assent', bin)], {
        cwd,
        env: { ...process.env, ASSENT_DATA_DIR: cwd },
        encoding: 'utf8',
      });
      expect([line, r.status, r.stderr]).toEqual([line, 0, '']);
    }
    expect(readFileSync(join(cwd, 'register.md'), 'utf8')).toMatch(/^# Register of processing activities/);
    expect(JSON.parse(readFileSync(join(cwd, 'copy.json'), 'utf8')).contact.identifiers).toContainEqual({
      kind: 'email',
      value: 'jane.doe@example.fr',
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
