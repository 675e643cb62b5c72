import { createContext, useContext } from 'react';

export type Colour = 'green' | 'yellow' | 'red' | 'cyan' | 'magenta' | 'blue' | 'gray';

/** Whether colours are on; off when NO_COLOR is set (https://no-color.org), where only bold and inverse remain. */
export const ColourContext = createContext(true);

export function coloursWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.NO_COLOR === undefined || env.NO_COLOR === '';
}

/** A colour for Ink's `color` prop, or undefined when colours are off. */
export function useColour(): (colour: Colour) => Colour | undefined {
  const enabled = useContext(ColourContext);
  return (colour) => (enabled ? colour : undefined);
}

export function statusColour(status: number): Colour {
  if (status >= 500) return 'red';
  if (status >= 400) return 'yellow';
  if (status >= 300) return 'cyan';
  return 'green';
}
