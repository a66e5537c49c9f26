import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_POLICY_PATH, loadPolicyFile } from '../../adapters/policy-file.ts';
import { isAtendeError } from '../../domain/atende-error.ts';
import { describeProblem, type PolicyProblem } from '../../domain/policy/parse-policy.ts';
import { policyJsonSchema } from '../../domain/policy/policy-json-schema.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { type CliContext, EXIT_FAILURE, jsonOption, printJson } from '../cli-context.ts';

/** `atende policy check [FILE]` and `atende policy schema`. */
export function registerPolicyCommands(program: Command, context: CliContext): void {
  const policy = program.command('policy').description('check a support-policy file or print its JSON Schema');

  policy
    .command('check')
    .description('validate a support-policy YAML file and summarise it')
    .argument('[file]', 'policy file', DEFAULT_POLICY_PATH)
    .addOption(jsonOption())
    .action(async (path: string, options: { json?: boolean }) => {
      const file = relative(process.cwd(), path) || path;
      try {
        const loaded = await loadPolicyFile(path);
        if (options.json) printJson(context.io, { valid: true, file, ...summarise(loaded) });
        else context.io.out(renderSummary(file, loaded));
      } catch (error) {
        if (!isAtendeError(error) || !['policy.invalid', 'policy.yamlSyntax'].includes(error.code)) throw error;
        const problems = error.details['problems'] as PolicyProblem[];
        if (options.json) printJson(context.io, { valid: false, file, code: error.code, problems });
        else
          context.io.err(
            [`${file} is not a valid policy:`, ...problems.map((problem) => `  ${describeProblem(problem)}`)].join(
              '\n',
            ),
          );
        context.exitCode = EXIT_FAILURE;
      }
    });

  policy
    .command('schema')
    .description('print the JSON Schema of policy files (npm run schema writes policy/schema.json)')
    .option('--out <file>', 'write it to this file instead of printing it')
    .action(async (options: { out?: string }) => {
      const text = `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
      if (options.out) await writeFile(options.out, text);
      else context.io.out(text);
    });
}

function summarise(policy: Policy) {
  return {
    brand: policy.brand,
    languages: policy.languages,
    queues: policy.queues.map((queue) => ({
      name: queue.name,
      address: queue.address,
      calendar: queue.calendar,
      agents: queue.agents,
    })),
    regions: policy.regions.map((region) => ({ name: region.name, calendar: region.calendar })),
    priorities: {
      default: policy.priorities.default,
      names: policy.priorities.levels.map((priority) => priority.name),
    },
    plans: policy.plans ? { default: policy.plans.default, names: policy.plans.levels.map((plan) => plan.name) } : null,
    calendars: Object.fromEntries(
      Object.entries(policy.calendars).map(([name, calendar]) => [
        name,
        { timeZone: calendar.timeZone, holidays: calendar.holidays.length },
      ]),
    ),
    sla: {
      firstResponseIs: policy.sla.firstResponseIs,
      firstResponseTargets: policy.sla.firstResponse.length,
      resolutionTargets: policy.sla.resolution.length,
      escalationLevels: policy.sla.escalation?.levels.length ?? 0,
    },
  };
}

function renderSummary(file: string, policy: Policy): string {
  const summary = summarise(policy);
  const lines = [
    `${file}: valid policy for ${policy.brand.name} (subject tag [${policy.brand.tag} #…])`,
    `  languages:   ${policy.languages.offered.join(', ')} (default ${policy.languages.default})`,
    `  queues:      ${summary.queues.map((queue) => `${queue.name} <${queue.address}> on ${queue.calendar}`).join('; ')}`,
    `  priorities:  ${summary.priorities.names.join(', ')} (default ${summary.priorities.default})`,
    `  plans:       ${summary.plans ? `${summary.plans.names.join(', ')} (default ${summary.plans.default})` : 'none'}`,
  ];
  if (summary.regions.length > 0)
    lines.push(`  regions:     ${summary.regions.map((region) => `${region.name} on ${region.calendar}`).join('; ')}`);
  lines.push(
    `  SLA:         ${summary.sla.firstResponseTargets} first-response and ${summary.sla.resolutionTargets} resolution targets, ` +
      `${summary.sla.escalationLevels} escalation level(s); first response = ${policy.sla.firstResponseIs}`,
  );
  return lines.join('\n');
}
