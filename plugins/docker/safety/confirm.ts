/**
 * The gate in front of destructive actions (remove, kill, exec, pull): the user is asked through MCP
 * elicitation when the client supports it (a `confirm` argument from the model does not replace the
 * user's answer); a client without elicitation must pass `confirm: true`, which the model should only
 * do after asking the user itself.
 */
import type { RequestExtra } from '../../../core/api/index.js';
import { Refusal } from '../engine/errors.js';

export async function confirmDestructive(extra: RequestExtra, confirm: boolean | undefined, action: string): Promise<void> {
  let answer;
  try {
    answer = await extra.elicit({
      message: `Allow this Docker action? ${action}`,
      requestedSchema: {
        type: 'object',
        properties: { confirm: { type: 'boolean', title: 'Allow', description: action } },
        required: ['confirm'],
      },
    });
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    if (!/does not support elicitation/i.test(message)) throw new Refusal(`refused: could not ask the user to confirm (${message}); ${action} was not done`);
    if (confirm === true) return;
    throw new Refusal(
      `refused: ${action} is destructive and this client cannot ask the user (no elicitation support). ` +
        'Ask the user, and only if they agree repeat the call with confirm: true.',
    );
  }
  if (answer.action !== 'accept') throw new Refusal(`refused: the user did not allow it (${answer.action}); ${action} was not done`);
  if (answer.content?.confirm !== true) throw new Refusal(`refused: the user did not tick "Allow"; ${action} was not done`);
}
