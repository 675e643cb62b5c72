import { Console } from 'node:console';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard } from '../../src/dashboard/startDashboard.js';
import { controlFixture } from './dashboardFixture.js';

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

/** A terminal-sized output stream that keeps what was written. */
function fakeTerminal() {
  const stream = Object.assign(new PassThrough(), { columns: 80, rows: 24 });
  let written = '';
  stream.on('data', (chunk: Buffer) => {
    written += chunk.toString();
  });
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => written };
}

const info = {
  version: '0.1.0',
  profileName: 'dash-test',
  origin: 'http://127.0.0.1:8080',
  fhirVersions: [],
  demoClient: undefined,
  simulating: false,
  startedAt: 0,
};

// Generous: the first Ink render in a cold worker on a busy 2-core CI machine can take seconds.
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('startDashboard gives the terminal back', () => {
  // Ink patches the console through console.Console, which vitest's console replacement lacks.
  const testConsole = console as { Console?: typeof Console };
  const hadConsole = testConsole.Console;
  beforeAll(() => {
    testConsole.Console ??= Console;
  });
  afterAll(() => {
    testConsole.Console = hadConsole;
  });

  it('takes the alternate screen, draws, and on stop leaves it with the cursor shown and no exit hook left', async () => {
    const fixture = await controlFixture();
    const stdout = fakeTerminal();
    const stderr = fakeTerminal();
    const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
    const exitHooks = process.listenerCount('exit');
    const running = startDashboard({ ...fixture, info: { ...info, fhirVersions: ['stu3'] }, colours: false, onQuit: () => undefined, stdout: stdout.stream, stdin, stderr: stderr.stream });
    await until(() => stdout.written().includes('Northside'));
    expect(stdout.written().startsWith(ENTER_ALTERNATE_SCREEN)).toBe(true);
    expect(process.listenerCount('exit')).toBeGreaterThan(exitHooks);
    running.stop();
    await until(() => stdout.written().endsWith(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN));
    expect(process.listenerCount('exit')).toBe(exitHooks);
  });

  it('when rendering fails: restores the terminal, says why, and asks to shut down', async () => {
    const fixture = await controlFixture();
    fixture.control.listTenants = () => {
      throw new Error('tenant directory exploded');
    };
    const stdout = fakeTerminal();
    const stderr = fakeTerminal();
    const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
    let quits = 0;
    startDashboard({ ...fixture, info: { ...info, fhirVersions: ['stu3'] }, colours: false, onQuit: () => quits++, stdout: stdout.stream, stdin, stderr: stderr.stream });
    await until(() => quits === 1);
    expect(stderr.written()).toContain('patients-sandbox: the dashboard failed: tenant directory exploded');
    expect(stdout.written()).toContain(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
  });
});
