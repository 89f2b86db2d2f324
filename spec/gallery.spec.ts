// The gallery's command line (samples/gallery/args.ts): which samples `npm start -- ...` runs or
// lists, `--no-python`, `--help`, and the usage errors (exit code 2) for an unknown option or
// sample name, with the close names. Then the compiled gallery itself, run as `npm start` runs it:
// `--list`, one sample with `--no-python`, and a bad name. Those runs need `npm run build` first
// (`npm test` does it).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseGalleryArgs } from '../samples/gallery/args';
import { SAMPLES, TESTING_SAMPLES, closeNames, openingComment, type SampleInfo } from '../samples/gallery/catalogue';

const names = (samples: readonly SampleInfo[]): string[] => samples.map((s) => s.name);

describe('parseGalleryArgs', () => {
  test('no arguments: every sample, in catalogue order, next to CPython', () => {
    const command = parseGalleryArgs([]);
    expect(command).toEqual({ action: 'run', samples: [...SAMPLES], python: true, testing: [...TESTING_SAMPLES] });
  });

  test('sample names: those samples, in the order given, each once', () => {
    const command = parseGalleryArgs(['timeout', 'hello-world', 'timeout']);
    expect(command.action).toBe('run');
    if (command.action === 'run') expect(names(command.samples)).toEqual(['timeout', 'hello-world']);
  });

  test('--no-python runs only the tsyncio ports', () => {
    expect(parseGalleryArgs(['--no-python', 'hello-world'])).toEqual({
      action: 'run', samples: SAMPLES.filter((s) => s.name === 'hello-world'), python: false,
    });
    expect(parseGalleryArgs(['http', '--no-python'])).toMatchObject({ action: 'run', python: false });
  });

  test('--list and -l list every sample, or the ones named, and run nothing', () => {
    expect(parseGalleryArgs(['--list'])).toEqual({ action: 'list', samples: [...SAMPLES], testing: [...TESTING_SAMPLES] });
    const command = parseGalleryArgs(['-l', 'sock-echo']);
    expect(command.action).toBe('list');
    if (command.action === 'list') expect(names(command.samples)).toEqual(['sock-echo']);
  });

  test('`testing` names every sample of samples/testing/, a testing sample is named alone; they never enter the side-by-side list', () => {
    expect(parseGalleryArgs(['testing'])).toEqual({ action: 'run', samples: [], python: true, testing: [...TESTING_SAMPLES] });
    expect(parseGalleryArgs(['hello-world', 'missed-notify', 'testing'])).toMatchObject({
      samples: SAMPLES.filter((s) => s.name === 'hello-world'), testing: [TESTING_SAMPLES.find((t) => t.name === 'missed-notify'), ...TESTING_SAMPLES.filter((t) => t.name !== 'missed-notify')],
    });
    expect(parseGalleryArgs(['-l', 'lost-update'])).toEqual({ action: 'list', samples: [], testing: TESTING_SAMPLES.filter((t) => t.name === 'lost-update') });
    expect(parseGalleryArgs(['lost-updat'])).toEqual({ action: 'error', problems: ['unknown sample "lost-updat" (did you mean lost-update?)'] });
    for (const t of TESTING_SAMPLES) expect(SAMPLES.map((s) => s.name)).not.toContain(t.name);
  });

  test('--help and -h win over everything else', () => {
    expect(parseGalleryArgs(['--help'])).toEqual({ action: 'help' });
    expect(parseGalleryArgs(['-h', '--list', 'no-such-sample'])).toEqual({ action: 'help' });
  });

  test('an unknown sample name is an error naming it and the close names', () => {
    expect(parseGalleryArgs(['helo-world', 'hello-world', 'zzz'])).toEqual({
      action: 'error',
      problems: ['unknown sample "helo-world" (did you mean hello-world?)', 'unknown sample "zzz"'],
    });
    expect(closeNames('tcp-echo-server')).toEqual(['tcp-echo-streams']);
    expect(closeNames('echo').sort()).toEqual(['echo-protocol', 'selectors-echo', 'sock-echo', 'tcp-echo-streams', 'udp-echo']);
  });

  test('an unknown option is an error naming it and the close option', () => {
    expect(parseGalleryArgs(['--no-pyton'])).toEqual({ action: 'error', problems: ['unknown option --no-pyton (did you mean --no-python?)'] });
    expect(parseGalleryArgs(['--verbose'])).toEqual({ action: 'error', problems: ['unknown option --verbose'] });
    const command = parseGalleryArgs(['--list=yes']);
    expect(command.action).toBe('error');
    if (command.action === 'error') expect(command.problems.join('\n')).toContain('--list');
  });

  test("every sample's port opens with a comment saying where it comes from", () => {
    for (const sample of SAMPLES) {
      const programs = sample.pair === undefined ? [sample.name] : [sample.pair.server, sample.pair.client];
      for (const program of programs) expect([program, openingComment(program)[0]]).toEqual([program, expect.stringMatching(/^Source: /)]);
    }
  });
});

describe('the compiled gallery (node dist/samples/gallery/index.js)', () => {
  const root = path.resolve(__dirname, '..');
  const gallery = path.join(root, 'dist', 'samples', 'gallery', 'index.js');
  const run = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
    if (!fs.existsSync(gallery)) throw new Error(`${gallery} is missing: run \`npm run build\` first (npm test does it)`);
    const r = spawnSync(process.execPath, [gallery, ...args], { cwd: root, encoding: 'utf8', timeout: 20000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test('--list prints each sample with its path and the first line of its opening comment, and runs nothing', () => {
    const { status, stdout, stderr } = run(['--list']);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toMatch(/^hello-world +samples\/hello-world\.ts +Source: the seed article/m);
    expect(stdout).toMatch(/^tcp-echo-streams +samples\/tcp-echo-server\.ts +Source: Python docs/m);
    expect(stdout).toMatch(/^ +samples\/tcp-echo-client\.ts +Source: Python docs/m);
    expect(stdout).toContain(`${SAMPLES.length} samples`);
    expect(stdout).toMatch(/^lost-update +samples\/testing\/lost-update\.ts +explore finds/m);
    expect(stdout).toContain(`${TESTING_SAMPLES.length} testing samples in samples/testing/`);
    expect(stdout).not.toContain('OK');
  });

  test('one sample with --no-python: its path and opening comment, then the tsyncio run only', () => {
    const { status, stdout } = run(['--no-python', 'hello-world']);
    expect(status).toBe(0);
    expect(stdout).toContain('== 1. hello-world: ');
    expect(stdout).toContain('   samples/hello-world.ts\n');
    expect(stdout).toContain('   // Source: the seed article');
    expect(stdout).toMatch(/\] Hello \.\.\.\n.*\] \.\.\.world!\n/);
    expect(stdout).not.toContain('vs python3');
    expect(stdout).toMatch(/\n1 sample OK \(/);
  });

  test('an unknown sample name exits with 2 and names it, with the close names', () => {
    const { status, stdout, stderr } = run(['helo-world']);
    expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderr).toContain('unknown sample "helo-world" (did you mean hello-world?)');
  });

  test('an unknown option exits with 2 and names it', () => {
    const { status, stderr } = run(['--frobnicate']);
    expect(status).toBe(2);
    expect(stderr).toContain('unknown option --frobnicate');
  });
});
