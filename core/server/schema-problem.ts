/** A zod issue as the SDK's schemas report it (only the fields read here). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: Issue[][];
}

/**
 * One readable line for the first problem zod found (`content.0.text: Invalid input: expected string, received number`).
 * For a union, the branch with the fewest problems is the one the value meant to be, so its problem is reported.
 */
export function describeSchemaProblem(issues: readonly Issue[], prefix: PropertyKey[] = []): string {
  const issue = issues[0];
  if (!issue) return 'invalid value';
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors?.length) {
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0];
    if (closest.length > 0) return describeSchemaProblem(closest, path);
  }
  return `${path.length > 0 ? path.map(String).join('.') : '(root)'}: ${issue.message}`;
}
