/** Errors of the fault layer. Each has a stable `code` so the admin API can map it to a status without parsing text. */

export type FaultErrorCode =
  | 'ERR_FAULT_RULE_INVALID'
  | 'ERR_FAULT_RULE_NOT_FOUND'
  | 'ERR_FAULT_RULE_DUPLICATE'
  | 'ERR_FAULT_PRESET_UNKNOWN'
  | 'ERR_FAULT_PRESET_OPTION';

export abstract class FaultError extends Error {
  abstract readonly code: FaultErrorCode;
}

/** A rule that does not fit the schema; `field` is the dotted path, e.g. "effect.latency.max". */
export class FaultRuleInvalid extends FaultError {
  readonly code = 'ERR_FAULT_RULE_INVALID';
  readonly field: string;
  readonly reason: string;
  constructor(field: string, reason: string) {
    super(`${field === '' ? 'rule' : field}: ${reason}`);
    this.name = 'FaultRuleInvalid';
    this.field = field;
    this.reason = reason;
  }
}

export class FaultRuleNotFound extends FaultError {
  readonly code = 'ERR_FAULT_RULE_NOT_FOUND';
  readonly ruleName: string;
  constructor(ruleName: string) {
    super(`fault rule "${ruleName}" not found`);
    this.name = 'FaultRuleNotFound';
    this.ruleName = ruleName;
  }
}

export class FaultRuleDuplicate extends FaultError {
  readonly code = 'ERR_FAULT_RULE_DUPLICATE';
  readonly ruleName: string;
  constructor(ruleName: string) {
    super(`a fault rule named "${ruleName}" already exists`);
    this.name = 'FaultRuleDuplicate';
    this.ruleName = ruleName;
  }
}

export class FaultPresetUnknown extends FaultError {
  readonly code = 'ERR_FAULT_PRESET_UNKNOWN';
  readonly preset: string;
  constructor(preset: string, known: readonly string[]) {
    super(`fault preset "${preset}" not found (known: ${known.join(', ')})`);
    this.name = 'FaultPresetUnknown';
    this.preset = preset;
  }
}

/** A preset used without an option it needs, e.g. tenant-outage without a tenant id. */
export class FaultPresetOption extends FaultError {
  readonly code = 'ERR_FAULT_PRESET_OPTION';
  readonly preset: string;
  readonly option: string;
  constructor(preset: string, option: string, reason: string) {
    super(`preset ${preset}: ${option}: ${reason}`);
    this.name = 'FaultPresetOption';
    this.preset = preset;
    this.option = option;
  }
}
