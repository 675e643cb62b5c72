// The alternate screen keeps the shell's scroll-back intact: on exit the terminal looks as it did before.
const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';
// Entering the alternate screen keeps the cursor where the banner left it; without a move home the
// first frame would be drawn under a block of blank rows.
const CURSOR_HOME_AND_CLEAR = '\u001b[H\u001b[2J';

export interface TerminalScreen {
  /** Gives the terminal back: normal screen, visible cursor, cooked input. Safe to call twice. */
  restore(): void;
}

/**
 * Switches to the alternate screen and makes sure the terminal is given back however the process
 * ends: a normal stop, an exception, or process.exit() from a second Ctrl+C.
 */
export function takeOverScreen(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): TerminalScreen {
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
  };
  process.on('exit', restore);
  stdout.write(ENTER_ALTERNATE_SCREEN + CURSOR_HOME_AND_CLEAR);
  return { restore };
}
