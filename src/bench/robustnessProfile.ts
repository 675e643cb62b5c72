/** The profile the soak and the fuzzer start the sandbox with: one tenant per FHIR version, one client on all of them. */

export const ROBUSTNESS_TENANTS = {
  stu3: 'a0000000-0000-4000-8000-000000000003',
  dstu2: 'a0000000-0000-4000-8000-000000000002',
  r4: 'a0000000-0000-4000-8000-000000000004',
} as const;

export const ROBUSTNESS_CLIENT = { id: 'load-client', secret: 'load-secret-not-for-production' } as const;

export function robustnessProfile(patientsPerTenant: number): Record<string, unknown> {
  return {
    name: 'robustness',
    seed: 20260101,
    tenants: [
      { id: ROBUSTNESS_TENANTS.stu3, name: 'Soak STU3', hospital: 'Soak General (STU3)', fhirVersion: 'stu3', patients: patientsPerTenant, fixtures: ['patients'] },
      { id: ROBUSTNESS_TENANTS.dstu2, name: 'Soak DSTU2', hospital: 'Soak Community (DSTU2)', fhirVersion: 'dstu2', patients: patientsPerTenant, fixtures: ['patients'] },
      { id: ROBUSTNESS_TENANTS.r4, name: 'Soak R4', hospital: 'Soak Regional (R4)', fhirVersion: 'r4', patients: patientsPerTenant, fixtures: ['patients'] },
    ],
    clients: [{ id: ROBUSTNESS_CLIENT.id, secret: ROBUSTNESS_CLIENT.secret, tenants: '*' }],
    // Injected faults name their rule in X-Sandbox-Fault, so a 5xx can be told from a real one.
    faults: { exposeHeader: true },
  };
}
