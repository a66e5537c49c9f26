import type { TicketStatus } from '../policy/policy-schema.ts';
import { argumentOf, commandLine, commandView, noteLead } from './agent-command-lines.ts';
import type { CommandVocabulary } from './agent-command-vocabulary.ts';
import {
  type AgentCommandKind,
  COMMAND_BY_NAME,
  closestWord,
  foldWord,
  NOTE_LEADS,
  UNMISTAKABLE_NOTE_LEADS,
} from './agent-command-words.ts';

/** One command an agent wrote, as understood. */
export type AgentCommand =
  | { readonly kind: 'status' | 'resolve' | 'close' | 'reopen'; readonly status: TicketStatus }
  | { readonly kind: 'priority'; readonly priority: string }
  | { readonly kind: 'plan'; readonly plan: string }
  | { readonly kind: 'assign' | 'take'; readonly assignee: string }
  | { readonly kind: 'note' };

/** What an agent's mail asks for: the changes, whether it is an internal note, and the text left. */
export interface AgentRequest {
  readonly status: TicketStatus | null;
  readonly priority: string | null;
  readonly plan: string | null;
  /** The lower-cased address the ticket is to be assigned to (`#assign`, `#take`). */
  readonly assignee: string | null;
  /** `#note` or an `Internal:` first line: the text is for the agents, never the customer. */
  readonly note: boolean;
  readonly commands: readonly AgentCommand[];
  /** The text under the commands (the note's text, for a note); '' when the mail is commands only. */
  readonly text: string;
}

export const COMMAND_PROBLEMS = [
  /** `#stauts`: no command has that name (`suggestion`: the closest one). */
  'unknown-command',
  /** `#status wating`: not a value the policy has (`valid`, `suggestion`). */
  'unknown-value',
  'missing-argument',
  /** `#resolve now`, `#status waiting please`: `value` is what is too much. */
  'extra-argument',
  'not-an-address',
  /** `#assign` to an address that is not staff of the ticket's queue (a customer, a stranger, our own list). */
  'not-staff',
  /** Two commands asking for different things (`other` is the earlier one). */
  'contradiction',
  /** A command below the first line of text: commands go at the top. */
  'after-text',
  /** `#note` with nothing to note. */
  'empty-note',
] as const;
export type CommandProblemKind = (typeof COMMAND_PROBLEMS)[number];

/** What was not understood, for the agent: where, what was written, and what would do. */
export interface CommandProblem {
  readonly kind: CommandProblemKind;
  /** 1-based line of the agent's text. */
  readonly line: number;
  /** The command as written (`#stauts`), cut to MAX_SHOWN_CHARS. */
  readonly command: string;
  readonly value: string | null;
  readonly suggestion: string | null;
  /** The values the policy has, where a value was wrong. */
  readonly valid: readonly string[];
  /** contradiction: the earlier command line. */
  readonly other: string | null;
}

export type AgentCommandReading =
  | { readonly outcome: 'read'; readonly request: AgentRequest }
  | { readonly outcome: 'problems'; readonly problems: readonly CommandProblem[] };

/** What the agent wrote is shown back this long at most. */
const MAX_SHOWN_CHARS = 80;
/** The agent is told about this many problems at most: a mail of ten thousand bad lines gets a short answer. */
const MAX_PROBLEMS = 20;

const shown = (text: string): string => (text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text);

/**
 * Reads the command lines at the top of an agent's new text (before any other text; blank lines
 * between them allowed) and what is left under them. A command line is optional spaces, `#` or
 * `＃`, a name (any of its languages; case and accents do not count), an optional `:`, its
 * arguments. An `Internal:` (`Interno:`, `Nota interna:` …) line counts as `#note`, what follows
 * its colon being the note's first words.
 *
 * Anything not understood is a problem, and any problem means the mail must not be relayed: a
 * `#` and a letter at the top that names no command, a wrong or missing argument, a value the
 * policy does not have, two commands that contradict each other, and a command (or an
 * `Internal:` line) below the text. `#1234` and a `#hashtag` in the text are text.
 * Linear in the size of the text.
 */
export function readAgentCommands(text: string, vocabulary: CommandVocabulary): AgentCommandReading {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const problems: CommandProblem[] = [];
  const commands: { command: AgentCommand; line: number; written: string }[] = [];
  let textStart = lines.length;
  let note = false;
  let noteFirstWords = '';

  for (let index = 0; index < lines.length; index += 1) {
    const line = commandView(lines[index]!);
    if (line.trim() === '') continue;
    const lead = noteLead(line, NOTE_LEADS);
    if (lead !== null) {
      note = true;
      noteFirstWords = lead;
      commands.push({ command: { kind: 'note' }, line: index + 1, written: shown(line.trim()) });
      textStart = index + 1;
      break;
    }
    const match = commandLine(line);
    if (!match) {
      textStart = index;
      break;
    }
    const name = match.name;
    const argument = argumentOf(match.rest);
    const kind = COMMAND_BY_NAME.get(foldWord(name));
    const at = { line: index + 1, command: shown(`#${name}`) };
    if (kind === undefined) {
      const suggestion = closestWord(foldWord(name), COMMAND_BY_NAME.keys());
      problems.push(problem('unknown-command', at, { suggestion: suggestion === null ? null : `#${suggestion}` }));
      continue;
    }
    if (kind === 'note') {
      note = true;
      commands.push({ command: { kind: 'note' }, line: index + 1, written: shown(line.trim()) });
      // `#note don't promise a callback`: the note starts on its line, and so the commands end there.
      if (argument !== '') {
        noteFirstWords = argument;
        textStart = index + 1;
        break;
      }
      continue;
    }
    const read = readCommand(kind, argument, vocabulary);
    if ('problem' in read) problems.push(problem(read.problem, at, read));
    else commands.push({ command: read.command, line: index + 1, written: shown(line.trim()) });
  }

  for (let index = textStart; index < lines.length; index += 1) {
    const line = commandView(lines[index]!);
    const match = commandLine(line);
    const known = match !== null && COMMAND_BY_NAME.has(foldWord(match.name));
    if (known || noteLead(line, UNMISTAKABLE_NOTE_LEADS) !== null)
      problems.push(problem('after-text', { line: index + 1, command: shown(line.trim()) }, {}));
    if (problems.length >= MAX_PROBLEMS) break;
  }

  const rest = [noteFirstWords, ...lines.slice(textStart)].join('\n').trim();
  const request = combine(commands, note, rest, problems);
  const noted = commands.find((entry) => entry.command.kind === 'note');
  if (noted && rest === '') problems.push(problem('empty-note', { line: noted.line, command: noted.written }, {}));
  if (problems.length > 0)
    return { outcome: 'problems', problems: problems.sort((a, b) => a.line - b.line).slice(0, MAX_PROBLEMS) };
  return { outcome: 'read', request };
}

type Read =
  | { readonly command: AgentCommand }
  | {
      readonly problem: CommandProblemKind;
      readonly value?: string;
      readonly suggestion?: string | null;
      readonly valid?: readonly string[];
    };

function readCommand(kind: Exclude<AgentCommandKind, 'note'>, argument: string, vocabulary: CommandVocabulary): Read {
  switch (kind) {
    case 'resolve':
      return argument === ''
        ? { command: { kind, status: 'resolved' } }
        : { problem: 'extra-argument', value: argument };
    case 'close':
      return argument === '' ? { command: { kind, status: 'closed' } } : { problem: 'extra-argument', value: argument };
    case 'reopen':
      return argument === '' ? { command: { kind, status: 'open' } } : { problem: 'extra-argument', value: argument };
    case 'take':
      if (argument !== '') return { problem: 'extra-argument', value: argument };
      return vocabulary.mayBeAssigned(vocabulary.author)
        ? { command: { kind, assignee: vocabulary.author } }
        : { problem: 'not-staff', value: vocabulary.author };
    case 'assign':
      return readAssignee(argument, vocabulary);
    case 'status': {
      const read = readValue(argument, vocabulary.statuses, vocabulary.validStatuses);
      return 'value' in read && !('problem' in read) ? { command: { kind, status: read.value } } : read;
    }
    case 'priority': {
      const read = readValue(argument, vocabulary.priorities, vocabulary.validPriorities);
      return 'value' in read && !('problem' in read) ? { command: { kind, priority: read.value } } : read;
    }
    case 'plan': {
      const read = readValue(argument, vocabulary.plans, vocabulary.validPlans);
      return 'value' in read && !('problem' in read) ? { command: { kind, plan: read.value } } : read;
    }
  }
}

/**
 * A value of the policy by any of its names: the whole argument, else the longest run of its
 * first words that is one (the rest is then too much), else the closest name as a suggestion.
 */
function readValue<T extends string>(
  argument: string,
  names: ReadonlyMap<string, T>,
  valid: readonly string[],
): { readonly value: T } | Extract<Read, { problem: CommandProblemKind }> {
  if (argument === '') return { problem: 'missing-argument', valid };
  const folded = foldWord(argument);
  const whole = names.get(folded);
  if (whole !== undefined) return { value: whole };
  const words = folded.split(' ');
  for (let count = Math.min(words.length - 1, MAX_VALUE_WORDS); count >= 1; count -= 1) {
    if (names.has(words.slice(0, count).join(' ')))
      return { problem: 'extra-argument', value: shown(argument.split(/\s+/).slice(count).join(' ')) };
  }
  return { problem: 'unknown-value', value: shown(argument), suggestion: closestWord(folded, names.keys()), valid };
}

/** Policy names and labels are a few words: longer prefixes are never tried. */
const MAX_VALUE_WORDS = 6;

/** Mail clients write an address as `ana@x`, `<ana@x>`, `ana@x <mailto:ana@x>`: each the same address. */
function readAssignee(argument: string, vocabulary: CommandVocabulary): Read {
  if (argument === '') return { problem: 'missing-argument' };
  const addresses = new Set<string>();
  const others: string[] = [];
  for (const token of argument.split(/\s+/)) {
    const bare = token.replace(/^[<([]+|[>)\],;.]+$/g, '').replace(/^mailto:/i, '');
    if (/^[^\s@<>()[\]"]+@[^\s@<>()[\]"]+\.[^\s@<>()[\]"]+$/.test(bare)) addresses.add(bare.toLowerCase());
    else others.push(token);
  }
  const [address, ...more] = [...addresses];
  if (address === undefined) return { problem: 'not-an-address', value: shown(argument) };
  if (more.length > 0 || others.length > 0)
    return { problem: 'extra-argument', value: shown([...more, ...others].join(' ')) };
  return vocabulary.mayBeAssigned(address)
    ? { command: { kind: 'assign', assignee: address } }
    : { problem: 'not-staff', value: address };
}

function problem(
  kind: CommandProblemKind,
  at: { line: number; command: string },
  found: { value?: string; suggestion?: string | null; valid?: readonly string[]; other?: string },
): CommandProblem {
  return {
    kind,
    line: at.line,
    command: at.command,
    value: found.value ?? null,
    suggestion: found.suggestion ?? null,
    valid: found.valid ?? [],
    other: found.other ?? null,
  };
}

/** The request the commands make together; two that ask for different things are a contradiction. */
function combine(
  commands: readonly { command: AgentCommand; line: number; written: string }[],
  note: boolean,
  text: string,
  problems: CommandProblem[],
): AgentRequest {
  const chosen = new Map<'status' | 'priority' | 'plan' | 'assignee', { value: string; written: string }>();
  const choose = (field: 'status' | 'priority' | 'plan' | 'assignee', value: string, line: number, written: string) => {
    const earlier = chosen.get(field);
    if (earlier === undefined) chosen.set(field, { value, written });
    else if (earlier.value !== value)
      problems.push(problem('contradiction', { line, command: written }, { other: earlier.written }));
  };
  for (const { command, line, written } of commands) {
    if ('status' in command) choose('status', command.status, line, written);
    else if (command.kind === 'priority') choose('priority', command.priority, line, written);
    else if (command.kind === 'plan') choose('plan', command.plan, line, written);
    else if (command.kind === 'assign' || command.kind === 'take') choose('assignee', command.assignee, line, written);
  }
  return {
    status: (chosen.get('status')?.value as TicketStatus | undefined) ?? null,
    priority: chosen.get('priority')?.value ?? null,
    plan: chosen.get('plan')?.value ?? null,
    assignee: chosen.get('assignee')?.value ?? null,
    note,
    commands: commands.map(({ command }) => command),
    text,
  };
}
