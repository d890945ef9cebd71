import { installStdoutGuard } from '../server/stdout-guard.js';

/**
 * Output of the one-shot commands (validate, list, doctor, claude-config). The stdout guard is on for
 * every command, so a plugin's console.log lands on stderr and never inside a report or JSON output;
 * this is the way to the real stdout.
 */
export function print(text: string): void {
  installStdoutGuard().write(text.endsWith('\n') ? text : text + '\n');
}
