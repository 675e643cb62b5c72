import type { AuthService } from '../auth/authService.js';
import { ClientRegistryError, type ClientView, type NewClient } from '../auth/clientRegistry.js';
import type { TokenCounts } from '../auth/issuedTokens.js';
import type { EventBus } from '../events/eventBus.js';
import type { RequestLog } from '../events/requestLog.js';
import type { ClientChangedEvent, RequestFinishedEvent, TokensChangedEvent } from '../events/types.js';
import type { AppliedPreset, FaultEngine } from '../faults/FaultEngine.js';
import { FAULT_PRESETS } from '../faults/presets.js';
import type { FaultRule } from '../faults/types.js';
import type { FhirVersion } from '../fhir/types.js';
import { systemTimers, type Clock, type Timers } from '../lib/clock.js';
import { gradeTraffic } from '../report/gradeTraffic.js';
import { ObservedTraffic } from '../report/observedTraffic.js';
import type { ReportCard } from '../report/reportCard.js';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../report/reportSettings.js';
import { checkScenarioReferences } from '../scenarios/checkScenarioReferences.js';
import { findScenario, scenariosByName } from '../scenarios/findScenario.js';
import { noScenarioRunning } from '../scenarios/scenarioErrors.js';
import { ScenarioRun, scenarioDurationMs, type ScenarioStatus } from '../scenarios/scenarioRun.js';
import type { Scenario } from '../scenarios/scenarioSchema.js';
import type { TenantDirectory } from '../tenants/tenantDirectory.js';
import { addUpstreamTenant, removeUpstreamTenant, type UpstreamSetup } from '../tenants/upstreamTenants.js';
import type { UpstreamConnection } from '../upstream/upstreamSettings.js';

export interface TenantSummary {
  id: string;
  name: string;
  hospital: string;
  fhirVersion: FhirVersion;
  /** Absolute when an origin is known (admin API), else the path below the sandbox's origin. */
  fhirBaseUrl: string;
  patientCount: number;
  readOnly: boolean;
  ready: boolean;
  /** Patients seeded so far and how many the tenant will hold. */
  seeding: { done: number; total: number };
  /** The real FHIR server an upstream tenant forwards to; absent for a generated tenant (or one replaying a recording). */
  upstream?: { baseUrl: string };
}

/** An upstream tenant added at run time: its identity and how to reach its server (recording is for the command line). */
export interface NewUpstreamTenant {
  id: string;
  name: string;
  hospital: string;
  fhirVersion: FhirVersion;
  readOnly: boolean;
  upstream: UpstreamConnection;
}

/** A fault rule as the admin API shows it: the rule, plus when it was posted and its absolute window. */
export interface FaultRuleView extends FaultRule {
  /** ISO time the rule was posted; schedule seconds count from here. */
  postedAt: string;
  /** ISO times the schedule's window opens and closes, when it sets them. */
  activeFrom?: string;
  activeUntil?: string;
}

export interface TokenStatus extends TokenCounts {
  lifetimeSeconds: number;
  clockSkewSeconds: number;
  /** What that skew does to new tokens, in words. */
  clockSkewEffect: string;
  signingKeyId: string;
}

export interface ControlPlaneDeps {
  auth: AuthService;
  tenants: TenantDirectory;
  faults: FaultEngine;
  requestLog: RequestLog;
  events: EventBus;
  clock: Clock;
  /** Whether responses shaped by a fault name the rule in X-Sandbox-Fault at start. */
  exposeFaultHeader: boolean;
  /** When scenario steps fire: real timers unless a test moves a ManualClock. */
  timers?: Timers | undefined;
  /** The profile's scenarios, runnable by name besides the built-in ones. */
  scenarios?: readonly Scenario[];
  /** The profile's `report` section: required criteria, the client's stated timeout, the backoff bound. */
  report?: ReportSettings;
  /** The --public-url host, whose token URL metadata advertises whatever host it is asked on. */
  publicHost?: string | undefined;
  /** What upstream tenants added at run time share with the profile's (recording flags); without it they record nothing. */
  upstreamSetup?: UpstreamSetup | undefined;
}

/**
 * Every change an operator can make while the sandbox runs, in one place: the admin API and the
 * dashboard both call these methods, so they never disagree. Each change is announced as an event.
 */
export class ControlPlane {
  readonly #deps: ControlPlaneDeps;
  #exposeFaultHeader: boolean;
  /** The token lifetime a preset replaced, while the preset's own lifetime is still in force. */
  #lifetimeBeforePreset: { before: number; presetSet: number } | undefined;
  /** What the report card grades: requests, tokens and invalidations since start or the last reset. */
  readonly #traffic: ObservedTraffic;
  #scenario: ScenarioRun | undefined;

  constructor(deps: ControlPlaneDeps) {
    this.#deps = deps;
    this.#exposeFaultHeader = deps.exposeFaultHeader;
    this.#traffic = new ObservedTraffic(deps.events, deps.clock);
  }

  listTenants(origin = ''): TenantSummary[] {
    return this.#deps.tenants.list().map((tenant) => ({
      id: tenant.id,
      name: tenant.name,
      hospital: tenant.hospital,
      fhirVersion: tenant.fhirVersion,
      fhirBaseUrl: `${origin}/fhir/${tenant.fhirVersion}`,
      patientCount: tenant.store.count('Patient'),
      readOnly: tenant.readOnly,
      ready: tenant.ready,
      seeding: { done: tenant.seeded, total: tenant.target },
      ...(tenant.upstream !== undefined ? { upstream: { baseUrl: tenant.upstream.baseUrl } } : {}),
    }));
  }

  /** Adds a tenant served by a real FHIR server; resolves once its upstream answered with the tenant's FHIR version. */
  async addUpstreamTenant(input: NewUpstreamTenant, origin = ''): Promise<TenantSummary> {
    const tenant = await addUpstreamTenant(this.#deps.tenants, { ...input, fixtures: [] }, this.#upstreamSetup());
    return this.listTenants(origin).find((summary) => summary.id === tenant.id) as TenantSummary;
  }

  /** Removes an upstream tenant: tokens naming it stop working, its recording is written. */
  removeUpstreamTenant(id: string): Promise<void> {
    return removeUpstreamTenant(this.#deps.tenants, id, this.#upstreamSetup());
  }

  #upstreamSetup(): UpstreamSetup {
    const { upstreamSetup, clock, events } = this.#deps;
    return upstreamSetup ?? { clock, events, mask: false, seed: 0, profileFile: '' };
  }

  // Clients ("registration portal")

  listClients(): ClientView[] {
    return this.#deps.auth.clients.list();
  }

  /** Registers a client; `secret` is the one generated or given (shown once), undefined for a client with keys only. */
  createClient(input: NewClient): { client: ClientView; secret: string | undefined } {
    const created = this.#deps.auth.clients.create(input);
    this.#clientChanged(created.client.id, 'created');
    return created;
  }

  deleteClient(id: string): void {
    this.#deps.auth.clients.delete(id);
    this.#clientChanged(id, 'deleted');
  }

  rotateClientSecret(id: string): { secretId: string; secret: string } {
    const rotated = this.#deps.auth.clients.rotateSecret(id);
    this.#clientChanged(id, 'secret-rotated');
    return rotated;
  }

  revokeClientSecret(id: string, secretId: string): void {
    this.#deps.auth.clients.revokeSecret(id, secretId);
    this.#clientChanged(id, 'secret-revoked');
  }

  /** Adds public keys for private_key_jwt beside the client's current ones: the first half of a key rotation. */
  addClientKeys(id: string, keys: readonly unknown[]): ClientView {
    const client = this.#deps.auth.clients.addKeys(id, keys);
    this.#clientChanged(id, 'keys-added');
    return client;
  }

  /** Removes a key: the second half of a rotation (never the client's last credential). */
  removeClientKey(id: string, kid: string): void {
    this.#deps.auth.clients.removeKey(id, kid);
    this.#clientChanged(id, 'key-removed');
  }

  /** Sets the client's JWKS URL, or drops it (undefined). */
  setClientJwksUrl(id: string, url: string | undefined): ClientView {
    const client = this.#deps.auth.clients.setJwksUrl(id, url);
    this.#clientChanged(id, 'jwks-url-set');
    return client;
  }

  /** Fetches the client's JWKS URL now, for keys it has just published (throws JwksFetchError when the URL fails). */
  async refreshClientJwks(id: string): Promise<ClientView> {
    const client = await this.#deps.auth.clients.refreshJwks(id);
    this.#clientChanged(id, 'jwks-refreshed');
    return client;
  }

  /** The SMART scopes the client may be granted from now on ("*": any); tokens already issued keep theirs. */
  setClientScopes(id: string, scopes: '*' | readonly string[]): ClientView {
    const client = this.#deps.auth.clients.setScopes(id, scopes);
    this.#clientChanged(id, 'scopes-set');
    return client;
  }

  // Tokens

  tokenStatus(): TokenStatus {
    const { auth } = this.#deps;
    const counts = auth.issuedTokens.counts((token) => auth.isHonoured(token));
    return {
      ...counts,
      lifetimeSeconds: auth.policy.lifetimeSeconds,
      clockSkewSeconds: auth.policy.clockSkewSeconds,
      clockSkewEffect: auth.policy.clockSkewEffect,
      signingKeyId: auth.keys.current.kid,
    };
  }

  setTokenLifetime(seconds: number): void {
    this.#deps.auth.policy.lifetimeSeconds = seconds;
    this.#tokensChanged('lifetime-set', `new tokens live ${seconds}s`);
  }

  setClockSkew(seconds: number): void {
    this.#deps.auth.policy.clockSkewSeconds = seconds;
    this.#tokensChanged('clock-skew-set', this.#deps.auth.policy.clockSkewEffect);
  }

  expireAllTokens(): void {
    this.#deps.auth.policy.expireAllNow();
    this.#tokensChanged('expired-all', 'every token issued before now is refused');
  }

  revokeClientTokens(clientId: string): void {
    if (!this.#deps.auth.clients.has(clientId)) throw new ClientRegistryError('client-not-found', `no client ${clientId}`);
    this.#deps.auth.policy.revokeClientTokens(clientId);
    this.#tokensChanged('client-revoked', `tokens of ${clientId} issued before now are refused`);
  }

  async rotateSigningKey(graceSeconds: number): Promise<string> {
    const { auth } = this.#deps;
    const kid = await auth.keys.rotate(graceSeconds);
    auth.verifier.clearCache();
    this.#tokensChanged('key-rotated', graceSeconds > 0 ? `new key ${kid}; old tokens accepted for ${graceSeconds}s` : `new key ${kid}; old tokens refused`);
    return kid;
  }

  // Faults

  listFaultRules(): readonly FaultRule[] {
    return this.#deps.faults.list();
  }

  describeFaultRules(): FaultRuleView[] {
    return this.#deps.faults.list().map((rule) => this.#describeFaultRule(rule));
  }

  addFaultRule(input: unknown): FaultRuleView {
    return this.#describeFaultRule(this.#deps.faults.add(input));
  }

  updateFaultRule(name: string, patch: unknown): FaultRuleView {
    return this.#describeFaultRule(this.#deps.faults.update(name, patch));
  }

  removeFaultRule(name: string): void {
    this.#deps.faults.remove(name);
  }

  clearFaultRules(): void {
    this.#deps.faults.clear();
  }

  get faultHeaderExposed(): boolean {
    return this.#exposeFaultHeader;
  }

  /** Turn the X-Sandbox-Fault header off for fidelity (the client then sees exactly what a real partner sends). */
  setFaultHeaderExposed(expose: boolean): void {
    this.#exposeFaultHeader = expose;
    this.#deps.events.emit({ type: 'faults-changed', at: this.#deps.clock.now(), detail: `X-Sandbox-Fault header ${expose ? 'on' : 'off'}` });
  }

  faultPresets(): Array<{ name: string; description: string }> {
    return FAULT_PRESETS.map((preset) => ({ name: preset.name, description: preset.description }));
  }

  /**
   * Applies a preset's rules; a preset with a token side (token churn) also sets the token lifetime,
   * and `calm` puts back the lifetime it replaced unless someone has changed it since.
   */
  applyFaultPreset(reference: string, options: { tenantId?: string } = {}): AppliedPreset {
    const applied = this.#deps.faults.applyPreset(reference, options);
    const { policy } = this.#deps.auth;
    if (applied.auth) {
      const before = this.#lifetimeBeforePreset?.before ?? policy.lifetimeSeconds;
      this.setTokenLifetime(applied.auth.tokenLifetimeSeconds);
      this.#lifetimeBeforePreset = { before, presetSet: applied.auth.tokenLifetimeSeconds };
    }
    if (applied.restoresAuth && this.#lifetimeBeforePreset !== undefined) {
      const { before, presetSet } = this.#lifetimeBeforePreset;
      this.#lifetimeBeforePreset = undefined;
      if (policy.lifetimeSeconds === presetSet) this.setTokenLifetime(before);
    }
    return applied;
  }

  #describeFaultRule(rule: FaultRule): FaultRuleView {
    const window = this.#deps.faults.windowOf(rule.name);
    const view: FaultRuleView = { ...rule, postedAt: new Date(window.postedAtMs).toISOString() };
    if (window.fromMs !== undefined) view.activeFrom = new Date(window.fromMs).toISOString();
    if (window.untilMs !== undefined) view.activeUntil = new Date(window.untilMs).toISOString();
    return view;
  }

  // Scenarios

  scenarios(): Array<{ name: string; description: string; durationSeconds: number }> {
    return scenariosByName(this.#deps.scenarios ?? []).map((scenario) => ({
      name: scenario.name,
      description: scenario.description ?? '',
      durationSeconds: scenarioDurationMs(scenario) / 1000,
    }));
  }

  /**
   * Starts a scenario (by name, or given whole); one that is running is stopped first. Its offsets count
   * from now, and the report card starts a new window, so it grades the scenario's traffic only.
   * Resolves once the steps at offset 0 are applied.
   */
  async runScenario(input: Scenario | string): Promise<ScenarioStatus> {
    const scenario = typeof input === 'string' ? findScenario(input, this.#deps.scenarios ?? []) : input;
    const { auth, tenants, clock, events } = this.#deps;
    checkScenarioReferences(scenario, { tenantExists: (id) => tenants.has(id), clientExists: (id) => auth.clients.has(id) });
    this.#scenario?.stop(`replaced by ${scenario.name}`);
    // Same seed, same traffic from here: same faults, whatever happened before the scenario.
    this.#deps.faults.restartDraws();
    this.#traffic.reset();
    const run = new ScenarioRun({ scenario, controls: this, clock, timers: this.#timers, events });
    this.#scenario = run;
    await run.start();
    return run.status();
  }

  stopScenario(): ScenarioStatus {
    if (this.#scenario === undefined) throw noScenarioRunning();
    this.#scenario.stop();
    return this.#scenario.status();
  }

  /** The running (or last) scenario: its next step and time left; undefined before any has run. */
  scenarioStatus(): ScenarioStatus | undefined {
    return this.#scenario?.status();
  }

  /** Resolves once the scenario steps that are due have been applied (a key rotation takes a moment). */
  scenarioIdle(): Promise<void> {
    return this.#scenario?.idle() ?? Promise.resolve();
  }

  get #timers(): Timers {
    return this.#deps.timers ?? systemTimers;
  }

  // Report card

  /** Every client's grades from the traffic observed since start, the last scenario start or reset. */
  reportCard(): ReportCard {
    const { tenants, clock } = this.#deps;
    const scenario = this.#scenario;
    return gradeTraffic(this.#traffic.window(), {
      now: clock.now(),
      settings: this.#deps.report ?? DEFAULT_REPORT_SETTINGS,
      tenantVersions: new Map(tenants.list().map((tenant) => [tenant.id, tenant.fhirVersion])),
      publicHost: this.#deps.publicHost,
      scenario: scenario === undefined ? null : { name: scenario.name, state: scenario.state },
    });
  }

  /** Starts a new observation window for the report card. */
  resetReport(): void {
    this.#traffic.reset();
  }

  // Traffic

  recentRequests(limit?: number): RequestFinishedEvent[] {
    return this.#deps.requestLog.recent(limit);
  }

  clearRequestLog(): void {
    this.#deps.requestLog.clear();
  }

  #clientChanged(clientId: string, change: ClientChangedEvent['change']): void {
    this.#deps.events.emit({ type: 'client-changed', at: this.#deps.clock.now(), clientId, change });
  }

  #tokensChanged(change: TokensChangedEvent['change'], detail: string): void {
    this.#deps.events.emit({ type: 'tokens-changed', at: this.#deps.clock.now(), change, detail });
  }
}
