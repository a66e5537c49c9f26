import type { TicketStatus } from '../policy/policy-schema.ts';

/**
 * The words of agents' commands, in the languages agents write them: the commands' names
 * (`#status`, `#estado`, `#situação` …), the short words for statuses (`waiting`, `pendiente`,
 * `aguardando` …) and the first lines that make a whole mail an internal note (`Internal:`).
 * Compared folded (`foldWord`): case, accents, full-width forms and inner spacing do not count.
 */

export const AGENT_COMMAND_KINDS = [
  'status',
  'resolve',
  'close',
  'reopen',
  'priority',
  'plan',
  'assign',
  'take',
  'note',
] as const;
export type AgentCommandKind = (typeof AGENT_COMMAND_KINDS)[number];

/** Every name of each command, the first of each language being the one its help shows. */
const COMMAND_NAMES: Readonly<Record<AgentCommandKind, Readonly<Record<'en' | 'es' | 'pt-BR', readonly string[]>>>> = {
  status: { en: ['status', 'state'], es: ['estado', 'situación'], 'pt-BR': ['status', 'situação', 'estado'] },
  resolve: { en: ['resolve', 'solve'], es: ['resolver', 'solucionar'], 'pt-BR': ['resolver', 'solucionar'] },
  close: { en: ['close'], es: ['cerrar'], 'pt-BR': ['fechar', 'encerrar'] },
  reopen: { en: ['reopen'], es: ['reabrir'], 'pt-BR': ['reabrir'] },
  priority: { en: ['priority', 'prio'], es: ['prioridad'], 'pt-BR': ['prioridade'] },
  plan: { en: ['plan'], es: ['plan'], 'pt-BR': ['plano'] },
  assign: { en: ['assign'], es: ['asignar'], 'pt-BR': ['atribuir', 'designar'] },
  take: { en: ['take', 'mine'], es: ['tomar', 'asumir'], 'pt-BR': ['assumir', 'pegar'] },
  note: { en: ['note', 'internal'], es: ['nota', 'interno'], 'pt-BR': ['nota', 'interna'] },
};

/** Languages with command names of their own; any other language's help shows the English names. */
const COMMAND_LANGUAGES = ['en', 'es', 'pt-BR'] as const;

/** Statuses by the short words agents type, in every language (policy keys and labels come from the policy). */
export const STATUS_WORDS: Readonly<Record<string, TicketStatus>> = {
  waiting: 'waiting-on-customer',
  pending: 'waiting-on-customer',
  esperando: 'waiting-on-customer',
  pendiente: 'waiting-on-customer',
  aguardando: 'waiting-on-customer',
  pendente: 'waiting-on-customer',
  solved: 'resolved',
  resolved: 'resolved',
  done: 'resolved',
  resuelto: 'resolved',
  solucionado: 'resolved',
  resolvido: 'resolved',
  open: 'open',
  abierto: 'open',
  aberto: 'open',
  progress: 'in-progress',
  working: 'in-progress',
  'in progress': 'in-progress',
  'en curso': 'in-progress',
  'en progreso': 'in-progress',
  'em andamento': 'in-progress',
  closed: 'closed',
  cerrado: 'closed',
  fechado: 'closed',
};

/**
 * First lines that make a mail an internal note, as `#note` does (the "Internal: don't
 * promise a callback" reached a customer). Folded, without the colon that must follow them.
 */
export const NOTE_LEADS: readonly string[] = ['internal', 'internal note', 'interno', 'interna', 'nota interna'];

/**
 * Leads unmistakable enough to refuse a mail that has one below its text: "Interno:" is also
 * a phone extension in Spanish, so only these count there.
 */
export const UNMISTAKABLE_NOTE_LEADS: readonly string[] = ['internal', 'internal note', 'nota interna'];

/** A word or phrase as commands compare it: NFKC, no accents, lower case, `-`, `_` and spaces one space. */
export function foldWord(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

/** Each folded command name and the command it names. */
export const COMMAND_BY_NAME: ReadonlyMap<string, AgentCommandKind> = new Map(
  AGENT_COMMAND_KINDS.flatMap((kind) =>
    Object.values(COMMAND_NAMES[kind])
      .flat()
      .map((name) => [foldWord(name), kind] as const),
  ),
);

/** The name of each command as `locale`'s help shows it, with its `#`. */
export function commandNamesIn(locale: string): Record<AgentCommandKind, string> {
  const language = COMMAND_LANGUAGES.find((candidate) => candidate === locale) ?? 'en';
  return Object.fromEntries(
    AGENT_COMMAND_KINDS.map((kind) => [kind, `#${COMMAND_NAMES[kind][language][0]}`]),
  ) as Record<AgentCommandKind, string>;
}

/** Words longer than this get no suggestion: a near miss is a short word mistyped. */
const MAX_SUGGESTED_WORD = 40;
/** How far a typo may be from what it was meant to be (`#stauts` → `#status`: 2). */
export const MAX_SUGGESTION_DISTANCE = 2;

/**
 * The candidate closest to `word` within MAX_SUGGESTION_DISTANCE edits (Damerau: a swap of two
 * neighbours is one edit), or null. Both are folded already; the first of equally close ones wins.
 */
export function closestWord(word: string, candidates: Iterable<string>): string | null {
  if (word.length > MAX_SUGGESTED_WORD) return null;
  let best: string | null = null;
  let bestDistance = MAX_SUGGESTION_DISTANCE + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = rows[i]!;
      const above = rows[i - 1]!;
      let distance = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, rows[i - 2]![j - 2]! + 1);
      row[j] = distance;
    }
  }
  return rows[a.length]![b.length]!;
}
