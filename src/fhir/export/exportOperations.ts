/** The Bulk Data operations every gateway serves, as its capability document names them. */
export const BULK_EXPORT_OPERATIONS: ReadonlyArray<{ name: string; definition: string }> = [
  { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
  { name: 'patient-export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' },
  { name: 'group-export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export' },
];
