/** Output of the one-shot commands (validate, list, doctor, claude-config). Never used by `serve`, whose stdout is the MCP channel. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}
