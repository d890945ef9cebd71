import type { Reporter } from 'vitest/reporters';

interface TaskLike {
  type: string;
  mode?: string;
  result?: { state?: string };
  tasks?: TaskLike[];
}

/** Ends the run with the plain line CI reads: `N passed, N failed, N skipped`. */
export default class SummaryReporter implements Reporter {
  onFinished(files: TaskLike[] = []): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const walk = (task: TaskLike) => {
      if (task.type === 'test') {
        if (task.result?.state === 'pass') count.passed++;
        else if (task.result?.state === 'fail') count.failed++;
        else count.skipped++;
      }
      task.tasks?.forEach(walk);
    };
    files.forEach(walk);
    process.stdout.write(`\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`);
  }
}
