import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { waitFor } from '../cli/cliProcess.js';

interface ComposeService {
  build?: string;
  image?: string;
  ports?: string[];
  environment?: Record<string, string>;
  command?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(path.join(packageRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };

/** The final stage's ENV and ENTRYPOINT: what a container of the image starts with. */
function imageDefaults(): { env: Record<string, string>; entrypoint: string[]; workdir: string } {
  const instructions = readFileSync(path.join(packageRoot, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ').split('\n');
  const finalStage = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')));
  const env = Object.fromEntries(
    finalStage
      .filter((line) => line.startsWith('ENV '))
      .flatMap((line) => line.slice(4).trim().split(/\s+/))
      .map((pair) => pair.split('=') as [string, string]),
  );
  const entrypoint = JSON.parse(finalStage.find((line) => line.startsWith('ENTRYPOINT '))?.slice('ENTRYPOINT '.length) ?? '[]') as string[];
  const workdir = finalStage.find((line) => line.startsWith('WORKDIR '))?.slice('WORKDIR '.length).trim() ?? '/';
  return { env, entrypoint, workdir };
}

function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  }));
}

describe('docker-compose.yml, its services run the way compose starts them', () => {
  it('builds from this repository, so no registry is needed', () => {
    const sandbox = compose.services['patients-sandbox'];
    expect(sandbox?.build).toBe('.');
    expect(sandbox?.environment?.PATIENTS_SANDBOX_ALLOWED_HOSTS).toBe('patients-sandbox');
    expect(compose.services['example-client']?.depends_on).toEqual({ 'patients-sandbox': { condition: 'service_healthy' } });
  });

  it('the sandbox turns healthy by its health check, the example client passes against it, and SIGTERM stops it with 0', async () => {
    const sandbox = compose.services['patients-sandbox'] as ComposeService;
    const client = compose.services['example-client'] as ComposeService;
    const image = imageDefaults();
    expect(image.workdir).toBe('/app');
    const [hostPort, containerPort] = (sandbox.ports?.[0] ?? '').split(':').slice(-2) as [string, string];
    expect(hostPort).toBe(sandbox.environment?.PORT);
    expect(containerPort).toBe(sandbox.environment?.PORT);

    // The image's /app holds what the repository root holds after a build. The port is a free one and the
    // host loopback, because this runs on the test machine rather than in a container network.
    const port = String(await freePort());
    const env = { PATH: process.env.PATH ?? '', ...image.env, ...sandbox.environment, PORT: port, PATIENTS_SANDBOX_HOST: '127.0.0.1' };
    const [command, ...args] = [...image.entrypoint, ...(sandbox.command ?? [])] as [string, ...string[]];
    expect(command).toBe('node');
    const server = spawn(process.execPath, args, { cwd: packageRoot, env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    try {
      const [kind, healthCommand, ...healthArgs] = sandbox.healthcheck?.test ?? [];
      expect(kind).toBe('CMD');
      expect(healthCommand).toBe('node');
      const healthy = () => spawnSync(process.execPath, healthArgs, { cwd: packageRoot, env, timeout: 10_000 }).status === 0;
      expect(healthy()).toBe(false);
      await waitFor(() => (healthy() ? true : undefined), 60_000);

      // Compose's DNS gives the client the service name; here that name is this machine.
      const clientEnv = Object.fromEntries(
        Object.entries(client.environment ?? {}).map(([name, value]) => [name, value.replace(`patients-sandbox:${sandbox.environment?.PORT}`, `127.0.0.1:${port}`)]),
      );
      const [clientCommand, ...clientArgs] = client.command as [string, ...string[]];
      expect(clientCommand).toBe('node');
      const run = spawnSync(process.execPath, clientArgs, { env: { PATH: process.env.PATH ?? '', ...clientEnv }, encoding: 'utf8', timeout: 20_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/found \d+ patient\(s\) named Ruth Black/);

      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
