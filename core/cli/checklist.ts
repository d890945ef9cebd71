/** A doctor report: lines marked passed, failed, warning or plain info, rendered once at the end. */
export type Mark = 'ok' | 'fail' | 'warn' | 'info';

const SYMBOL: Record<Mark, string> = { ok: '✓', fail: '✗', warn: '!', info: '-' };

export class Checklist {
  private readonly lines: string[] = [];
  failures = 0;

  add(mark: Mark, text: string, details: string[] = []): void {
    if (mark === 'fail') this.failures++;
    this.lines.push(`${SYMBOL[mark]} ${text}`, ...details.flatMap((d) => d.split('\n')).map((d) => `    ${d.trim()}`));
  }

  render(): string {
    return this.lines.join('\n');
  }
}
