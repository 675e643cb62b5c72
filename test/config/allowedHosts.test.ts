import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/configError.js';
import { resolveConfig } from '../../src/config/sandboxConfig.js';

describe('--allowed-hosts / PATIENTS_SANDBOX_ALLOWED_HOSTS', () => {
  it('reads comma-separated host names, ports dropped, flag over environment', () => {
    expect(resolveConfig({}, {}).allowedHosts).toEqual([]);
    expect(resolveConfig({}, { PATIENTS_SANDBOX_ALLOWED_HOSTS: 'patients-sandbox:8080, Sandbox.Example.Test ,' }).allowedHosts).toEqual([
      'patients-sandbox',
      'sandbox.example.test',
    ]);
    expect(resolveConfig({ allowedHosts: '[::2]' }, { PATIENTS_SANDBOX_ALLOWED_HOSTS: 'ignored' }).allowedHosts).toEqual(['[::2]']);
  });

  it('names the source of an entry that is not a host name', () => {
    for (const [flags, env, source] of [
      [{ allowedHosts: 'http://evil.example/' }, {}, '--allowed-hosts'],
      [{}, { PATIENTS_SANDBOX_ALLOWED_HOSTS: 'ok.example,bad host' }, 'PATIENTS_SANDBOX_ALLOWED_HOSTS'],
    ] as const) {
      expect(() => resolveConfig(flags, env)).toThrow(ConfigError);
      expect(() => resolveConfig(flags, env)).toThrow(source);
    }
  });
});
