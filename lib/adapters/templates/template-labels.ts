import * as z from 'zod';

/**
 * Words a template needs for values that arrive as codes: the kinds of secret masked in an
 * acknowledgement, the flags on an agent notification, the channel a ticket came in by, why
 * a participant was not added, why an agent's reply was not relayed, the SLA target and stage
 * of an alert or escalation.
 * One `labels.json` per locale folder, beside the templates that use it.
 */
export const TemplateLabelsSchema = z.strictObject({
  /**
   * Keyed by SecretKind (api-key, password, token, card-number), each with its article, as it
   * reads inside a sentence ("an API key"). `_other` names a kind this file does not know yet.
   */
  secretKinds: z.record(z.string(), z.string().min(1)),
  /** Keyed by agent flag (shouting, rude-words, secrets-masked, duplicate …). */
  flags: z.record(z.string(), z.string().min(1)),
  /** Keyed by channel (email, web, chat, phone). */
  channels: z.record(z.string(), z.string().min(1)),
  /** Keyed by ParticipantDeclineReason (limit, unmailable, unauthenticated, own-address): why a Cc'd address was not added. */
  declineReasons: z.record(z.string(), z.string().min(1)),
  /** Keyed by AgentReplyRefusal (internal-notice, no-new-text): why an agent's reply was not relayed, as advice to the agent. */
  refusalReasons: z.record(z.string(), z.string().min(1)),
  /** Keyed by SLA target (firstResponse, resolution), as it reads after "target": "first response". */
  slaTargets: z.record(z.string(), z.string().min(1)),
  /** Keyed by SlaAlertView stage (warning, breach, escalation): the word an SLA alert's subject starts with. */
  slaStages: z.record(z.string(), z.string().min(1)),
  /** Keyed by AppliedChangeView field (status, priority, plan, assignee): what an agent's command changed. */
  changedFields: z.record(z.string(), z.string().min(1)),
  /** Keyed by AttachmentWithholding (dangerous, too-large): why a file was not attached, as it reads after the file. */
  withheldReasons: z.record(z.string(), z.string().min(1)),
});

export type TemplateLabels = z.output<typeof TemplateLabelsSchema>;
export type LabelGroup = keyof TemplateLabels;

export const LABEL_GROUPS: readonly LabelGroup[] = [
  'secretKinds',
  'flags',
  'channels',
  'declineReasons',
  'refusalReasons',
  'slaTargets',
  'slaStages',
  'changedFields',
  'withheldReasons',
];

/** The label for `key`; an unknown key reads as the group's `_other` label, or as itself. */
export const labelFor = (labels: TemplateLabels, group: LabelGroup, key: string): string => {
  const entries = labels[group];
  return Object.hasOwn(entries, key) ? (entries[key] ?? key) : (entries['_other'] ?? key);
};
