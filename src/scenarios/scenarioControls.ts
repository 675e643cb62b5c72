/**
 * The ControlPlane operations a scenario step may call: the very methods the admin API and the
 * dashboard call, so a timeline does nothing an operator could not do by hand.
 */
export interface ScenarioControls {
  applyFaultPreset(reference: string, options?: { tenantId?: string }): unknown;
  listFaultRules(): ReadonlyArray<{ name: string }>;
  addFaultRule(input: unknown): unknown;
  removeFaultRule(name: string): void;
  clearFaultRules(): void;
  expireAllTokens(): void;
  setTokenLifetime(seconds: number): void;
  setClockSkew(seconds: number): void;
  rotateSigningKey(graceSeconds: number): Promise<string>;
  revokeClientTokens(clientId: string): void;
}
