import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../lib/domain/policy/policy-schema.ts';
import { commandVocabulary } from '../../../lib/domain/ticket/agent-command-vocabulary.ts';
import { type AgentCommandReading, readAgentCommands } from '../../../lib/domain/ticket/agent-commands.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';

const STAFF = new Set(['carla@example.com', 'ana@example.com']);
const vocabularyOf = (policy: Policy) =>
  commandVocabulary(policy, { author: 'Carla@Example.com', mayBeAssigned: (address) => STAFF.has(address) });
const defaultVocabulary = vocabularyOf(shippedPolicy('default.yaml'));
const read = (text: string, vocabulary = defaultVocabulary): AgentCommandReading => readAgentCommands(text, vocabulary);

/** The request of a mail read without problems. */
const requestOf = (text: string, vocabulary = defaultVocabulary) => {
  const reading = read(text, vocabulary);
  if (reading.outcome !== 'read') throw new Error(`problems: ${JSON.stringify(reading.problems)}`);
  return reading.request;
};
const problemsOf = (text: string, vocabulary = defaultVocabulary) => {
  const reading = read(text, vocabulary);
  if (reading.outcome !== 'problems') throw new Error(`read: ${JSON.stringify(reading.request)}`);
  return reading.problems;
};

describe('agent commands in three languages', () => {
  it.each([
    ['#status waiting', { status: 'waiting-on-customer' }],
    ['#estado esperando', { status: 'waiting-on-customer' }],
    ['#status aguardando', { status: 'waiting-on-customer' }],
    ['#situação pendente', { status: 'waiting-on-customer' }],
    ['#estado pendiente', { status: 'waiting-on-customer' }],
    ['#status solved', { status: 'resolved' }],
    ['#estado resuelto', { status: 'resolved' }],
    ['#status resolvido', { status: 'resolved' }],
    ['#status en curso', { status: 'in-progress' }],
    ['#status em andamento', { status: 'in-progress' }],
    ['#status in-progress', { status: 'in-progress' }],
    ['#estado abierto', { status: 'open' }],
    ['#status fechado', { status: 'closed' }],
    ['#resolve', { status: 'resolved' }],
    ['#resolver', { status: 'resolved' }],
    ['#close', { status: 'closed' }],
    ['#cerrar', { status: 'closed' }],
    ['#fechar', { status: 'closed' }],
    ['#reopen', { status: 'open' }],
    ['#reabrir', { status: 'open' }],
    ['#priority high', { priority: 'high' }],
    ['#prioridad alta', { priority: 'high' }],
    ['#prioridade média', { priority: 'medium' }],
    ['#plan premium', { plan: 'premium' }],
    ['#plan básico', { plan: 'basic' }],
    ['#plano padrão', { plan: 'regular' }],
    ['#assign ana@example.com', { assignee: 'ana@example.com' }],
    ['#asignar Ana@Example.com', { assignee: 'ana@example.com' }],
    ['#atribuir <ana@example.com>', { assignee: 'ana@example.com' }],
    ['#assign ana@example.com <mailto:ana@example.com>', { assignee: 'ana@example.com' }],
    ['#take', { assignee: 'carla@example.com' }],
    ['#tomar', { assignee: 'carla@example.com' }],
    ['#assumir', { assignee: 'carla@example.com' }],
  ])('reads %s', (line, expected) => {
    const request = requestOf(`${line}\n\nHello Ana, all done.`);

    expect(request).toMatchObject({ ...expected, note: false, text: 'Hello Ana, all done.' });
  });

  it.each(['#note', '#nota', '#Nota'])('reads %s as making the whole mail an internal note', (line) => {
    expect(requestOf(`${line}\nDon't promise a callback.`)).toMatchObject({
      note: true,
      text: "Don't promise a callback.",
    });
  });

  it.each([
    'Internal: don’t promise a callback',
    'Internal note: don’t promise a callback',
    'Interno: don’t promise a callback',
    'Interna: don’t promise a callback',
    'Nota interna: don’t promise a callback',
    '#note don’t promise a callback',
  ])('takes a first line "%s" as #note, its words the start of the note', (line) => {
    expect(requestOf(`${line}\nThey asked twice.`)).toMatchObject({
      note: true,
      text: 'don’t promise a callback\nThey asked twice.',
    });
  });

  it('reads case, accents, a colon, spaces and the full-width ＃ as the same command', () => {
    for (const line of ['#STATUS: Waiting', '  #Estado :  ESPERANDO', '＃status waiting', '#situacao pendente']) {
      expect(requestOf(`${line}\nSee you.`).status).toBe('waiting-on-customer');
    }
    expect(requestOf('#PRIORIDAD ALTA\nOk.').priority).toBe('high');
    expect(requestOf('#Resolver\n').status).toBe('resolved');
  });

  it('reads several commands, blank lines between them, and leaves only the text', () => {
    expect(requestOf('\n#priority critical\n\n#take\n#status waiting\n\nCould you send a screenshot?')).toEqual({
      status: 'waiting-on-customer',
      priority: 'critical',
      plan: null,
      assignee: 'carla@example.com',
      note: false,
      commands: [
        { kind: 'priority', priority: 'critical' },
        { kind: 'take', assignee: 'carla@example.com' },
        { kind: 'status', status: 'waiting-on-customer' },
      ],
      text: 'Could you send a screenshot?',
    });
  });

  it('reads a mail of commands only as no text', () => {
    expect(requestOf('#resolve\n#priority high')).toMatchObject({ status: 'resolved', priority: 'high', text: '' });
  });

  it('accepts the labels the policy gives statuses, in every language it names them', () => {
    expect(requestOf('#status Waiting for your reply\nOk.').status).toBe('waiting-on-customer');
    expect(requestOf('#estado Esperando su respuesta\nOk.').status).toBe('waiting-on-customer');
    expect(requestOf('#status Em análise\nOk.').status).toBe('open');
  });

  it('accepts the labels a policy gives its priorities', () => {
    const vocabulary = vocabularyOf(shippedPolicy('examples/hosting-es.yaml'));
    expect(requestOf('#prioridad baja\nListo.', vocabulary).priority).toBe('low');
    expect(problemsOf('#prioridad urgente\nListo.', vocabulary)[0]).toMatchObject({
      kind: 'unknown-value',
      valid: ['high', 'medium', 'low'],
    });
  });

  it('leaves #1234 and a #hashtag in the text as text', () => {
    expect(requestOf('#status waiting\nTicket #1234 is the same problem.\n#hashtag of the day')).toMatchObject({
      status: 'waiting-on-customer',
      text: 'Ticket #1234 is the same problem.\n#hashtag of the day',
    });
    expect(requestOf('#1234 is fixed.')).toMatchObject({ status: null, text: '#1234 is fixed.' });
  });
});

describe('commands not understood', () => {
  it.each([
    ['#stauts waiting', '#status'],
    ['#staus waiting', '#status'],
    ['#resolv', '#resolve'],
    ['#prioridade alta', null],
    ['#asignr ana@example.com', '#asignar'],
  ])('refuses %s and suggests the closest name', (line, suggestion) => {
    const reading = read(`${line}\nHello.`);
    if (suggestion === null) {
      expect(reading.outcome).toBe('read');
      return;
    }
    expect(problemsOf(`${line}\nHello.`)).toEqual([
      expect.objectContaining({ kind: 'unknown-command', line: 1, suggestion }),
    ]);
  });

  it('refuses a # and a word at the top that names no command, without a suggestion when none is close', () => {
    expect(problemsOf('#hashtag\nHello.')).toEqual([
      expect.objectContaining({ kind: 'unknown-command', command: '#hashtag', suggestion: null }),
    ]);
  });

  it('refuses a status the policy does not have, listing the valid ones and the closest', () => {
    expect(problemsOf('#status wating\nHello.')).toEqual([
      expect.objectContaining({
        kind: 'unknown-value',
        command: '#status',
        value: 'wating',
        suggestion: 'waiting',
        valid: ['open', 'in-progress', 'waiting-on-customer', 'resolved', 'closed'],
      }),
    ]);
    expect(problemsOf('#status new')[0]).toMatchObject({ kind: 'unknown-value', value: 'new' });
  });

  it('refuses a priority or a plan the policy does not have', () => {
    expect(problemsOf('#priority urgent')[0]).toMatchObject({
      kind: 'unknown-value',
      valid: ['critical', 'high', 'medium'],
    });
    expect(problemsOf('#plan gold')[0]).toMatchObject({
      kind: 'unknown-value',
      valid: ['basic', 'regular', 'premium'],
    });
    const noPlans = vocabularyOf(shippedPolicy('examples/hosting-br.yaml'));
    expect(problemsOf('#plano premium', noPlans)[0]).toMatchObject({ kind: 'unknown-value', valid: [] });
  });

  it('refuses missing and extra arguments', () => {
    expect(
      problemsOf('#status\n#priority\n#assign\n#resolve now\n#take it\n#status waiting please').map((p) => [
        p.kind,
        p.line,
        p.value,
      ]),
    ).toEqual([
      ['missing-argument', 1, null],
      ['missing-argument', 2, null],
      ['missing-argument', 3, null],
      ['extra-argument', 4, 'now'],
      ['extra-argument', 5, 'it'],
      ['extra-argument', 6, 'please'],
    ]);
  });

  it('refuses #assign to anything but a staff address', () => {
    expect(problemsOf('#assign ana.souza@customer.example')[0]).toMatchObject({
      kind: 'not-staff',
      value: 'ana.souza@customer.example',
    });
    expect(problemsOf('#assign Ana')[0]).toMatchObject({ kind: 'not-an-address', value: 'Ana' });
    expect(problemsOf('#assign ana@example.com carla@example.com')[0]).toMatchObject({ kind: 'extra-argument' });
  });

  it('refuses commands that contradict each other', () => {
    expect(problemsOf('#status waiting\n#status solved')).toEqual([
      expect.objectContaining({ kind: 'contradiction', line: 2, command: '#status solved', other: '#status waiting' }),
    ]);
    expect(problemsOf('#resolve\n#status waiting')[0]).toMatchObject({ kind: 'contradiction' });
    expect(problemsOf('#assign ana@example.com\n#take')[0]).toMatchObject({ kind: 'contradiction' });
    expect(requestOf('#resolve\n#status solved\nDone.').status).toBe('resolved');
  });

  it('refuses a command below the text: commands go at the top', () => {
    expect(problemsOf('Could you send the log file?\n#status waiting\n\nThanks')).toEqual([
      expect.objectContaining({ kind: 'after-text', line: 2, command: '#status waiting' }),
    ]);
  });

  it('never lets a #note or an "Internal:" at the bottom through', () => {
    expect(problemsOf('Hello Ana,\nall fixed.\n\n#note she was rude')[0]).toMatchObject({
      kind: 'after-text',
      line: 4,
    });
    expect(problemsOf('Hello Ana,\n\nInternal: don’t promise a callback')[0]).toMatchObject({ kind: 'after-text' });
    expect(problemsOf('#status waiting\nHello Ana.\n＃NOTA privada')[0]).toMatchObject({ kind: 'after-text', line: 3 });
  });

  it('refuses a note with nothing in it', () => {
    expect(problemsOf('#note\n\n')[0]).toMatchObject({ kind: 'empty-note' });
  });

  it('lists every problem of a mail, in line order', () => {
    expect(problemsOf('#stauts waiting\n#priority hihg\nHello.\n#close').map((p) => p.kind)).toEqual([
      'unknown-command',
      'unknown-value',
      'after-text',
    ]);
  });

  it('reads a long run of spaces after a command in one pass', () => {
    const problems = problemsOf(`#status${' '.repeat(200_000)}!\nHello`);
    expect(problems[0]).toMatchObject({ kind: 'unknown-value', value: expect.stringMatching(/^!/) });
    expect(problemsOf(`We restarted it.\n#status${' '.repeat(200_000)}!`)[0]!.kind).toBe('after-text');
  });
});
