/**
 * Reading agents' replies: what `relayAgentReply` does before it touches the store (the new words
 * above the reply marker, the signature cut, the command lines at the top), per second on typical
 * replies (commands in the three languages, quoted notices, signatures), and how long a hostile
 * reply takes as it grows (a line of `#` characters, 100,000 command lines, text after commands):
 * the time per MB must stay flat, the reading being linear.
 */

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadPolicyFile } from '../lib/adapters/policy-file.ts';
import { withoutSignature } from '../lib/domain/mail/quoted-reply.ts';
import { commandVocabulary } from '../lib/domain/ticket/agent-command-vocabulary.ts';
import { readAgentCommands } from '../lib/domain/ticket/agent-commands.ts';
import { agentNoticeWords, replyMarkerLine } from '../lib/domain/ticket/agent-notice-markers.ts';
import { extractAgentReply } from '../lib/domain/ticket/agent-reply-extraction.ts';
import { saveReport } from './bench-report.ts';

const ROUNDS = Number(process.env['BENCH_AGENT_REPLY_ROUNDS'] ?? 20_000);
const policy = await loadPolicyFile('policy/default.yaml');
const vocabulary = commandVocabulary(policy, {
  author: 'alice@example.com',
  mayBeAssigned: (address) => address.endsWith('@example.com'),
});
const marker = replyMarkerLine(agentNoticeWords('en'));
const quotedNotice = [
  '',
  `On Mon, 23 Nov 2026 at 10:00, Atende Support <servicedesk@example.com> wrote:`,
  `> ${marker}`,
  '> New ticket #1000 from Ana Souza <ana@customer.example>',
  '> The printer on the third floor is offline since this morning.',
].join('\n');

const TYPICAL = [
  `#status waiting\nHello Ana, could you send us a photo of the printer's panel?\n\n-- \nAlice Martins\n${quotedNotice}`,
  `#estado esperando\n#prioridad alta\nHola Ana, ¿nos envía una foto del panel?\n\n--\nAlice\n${quotedNotice}`,
  `#status aguardando\n#assumir\nOlá Ana, pode nos enviar uma foto do painel?\n${quotedNotice}`,
  `#note\nDon't promise a callback: the technician is off until Thursday.\n${quotedNotice}`,
  `Hello Ana, the printer is back online. #1000 is solved on our side.\n${quotedNotice}`,
  `#stauts waiting\nHello Ana.\n${quotedNotice}`,
];

function read(text: string): number {
  const extracted = extractAgentReply({ text, html: null, textSource: 'plain' });
  if (extracted.outcome === 'refused') return 0;
  const reading = readAgentCommands(withoutSignature(extracted.text), vocabulary);
  return reading.outcome === 'problems' ? reading.problems.length : 1;
}

let sink = 0;
for (let round = 0; round < 2_000; round += 1) sink += read(TYPICAL[round % TYPICAL.length]!);
const started = performance.now();
for (let round = 0; round < ROUNDS; round += 1) sink += read(TYPICAL[round % TYPICAL.length]!);
const typicalMs = performance.now() - started;

const HOSTILE: Record<string, (megabytes: number) => string> = {
  'one line of #': (mb) => '#'.repeat(mb * 1_000_000),
  'command lines': (mb) => '#take\n'.repeat(Math.floor((mb * 1_000_000) / 6)),
  'text after a command': (mb) => `#status waiting\n${'All good here. '.repeat(Math.floor((mb * 1_000_000) / 15))}`,
};
const grows: Record<string, Record<string, number>> = {};
for (const [name, build] of Object.entries(HOSTILE)) {
  grows[name] = {};
  for (const megabytes of [1, 2, 4]) {
    const text = build(megabytes);
    const start = performance.now();
    sink += read(text);
    grows[name]![`${megabytes}MB_ms`] = Math.round(performance.now() - start);
  }
}

saveReport('agent-replies', {
  typicalRepliesPerSecond: Math.round(ROUNDS / (typicalMs / 1000)),
  hostileRepliesGrowing: grows,
  load1m: Number(loadavg()[0]!.toFixed(2)),
  checksum: sink,
});
