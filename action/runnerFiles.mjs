// @ts-check
/**
 * The GitHub Actions runner's file protocol, without @actions/core so the action runs from a plain
 * checkout: inputs arrive as INPUT_<NAME> variables, outputs and state are appended to the files named
 * by GITHUB_OUTPUT and GITHUB_STATE, and a post step reads its state back as STATE_<name>.
 */
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

/**
 * An input's value, or the fallback when the runner did not set it (a local run).
 * @param {string} name
 * @param {string} [fallback]
 */
export function input(name, fallback = '') {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

/** @param {string} name @param {string} value */
export function setOutput(name, value) {
  appendCommandFile('GITHUB_OUTPUT', name, value);
}

/** @param {string} name @param {string} value */
export function saveState(name, value) {
  appendCommandFile('GITHUB_STATE', name, value);
}

/** @param {string} name */
export function state(name) {
  return process.env[`STATE_${name}`] ?? '';
}

/** @param {string} message */
export function fail(message) {
  console.log(`::error::${message.replace(/\r?\n/g, '%0A')}`);
  process.exitCode = 1;
}

/** @param {string} message */
export function warn(message) {
  console.log(`::warning::${message.replace(/\r?\n/g, '%0A')}`);
}

/**
 * @param {string} variable
 * @param {string} name
 * @param {string} value
 */
function appendCommandFile(variable, name, value) {
  const file = process.env[variable];
  if (file === undefined || file === '') {
    // Outside a runner: show what would have been set.
    console.log(`${variable === 'GITHUB_OUTPUT' ? 'output' : 'state'} ${name}=${value}`);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, value.includes('\n') ? `${name}<<${delimiter}\n${value}\n${delimiter}\n` : `${name}=${value}\n`);
}
