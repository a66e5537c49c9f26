import * as z from 'zod';
import { PolicySchema } from './policy-schema.ts';

/**
 * The JSON Schema of the policy file, for editors (yaml-language-server reads it from the
 * `# yaml-language-server: $schema=` line). It describes what a person writes (zod's input
 * side); the text grammars (hours, durations, targets) are checked by atende itself.
 */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PolicySchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'https://atende.dev/schema/policy.json',
    title: 'atende support policy',
    description:
      'One support policy: queues, business calendars, priorities, plans, SLA targets, escalation, conduct and statuses. Check it with `npx atende policy check FILE`.',
  };
}
