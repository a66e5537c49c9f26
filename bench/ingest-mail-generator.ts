/**
 * A deterministic (seeded) stream of inbound support mail for the ingest benchmarks: new
 * tickets, customers' replies to our acknowledgement, follow-ups on the same subject, and
 * out-of-office answers to it, in English, Spanish and Portuguese, as plain text,
 * multipart/alternative or with a small attachment. Raw RFC 5322 bytes are built here by hand, so nothing random (a composer's
 * Message-ID or Date) varies between runs. The reliability suite's generator
 * (test/support/generated-mail.ts) writes with the same people, subjects and words.
 */

export type Language = 'en' | 'es' | 'pt';
export type MailFormat = 'plain' | 'alternative' | 'attachment';
/**
 * `reply`: a mail client's answer to our acknowledgement (In-Reply-To, the subject with our tag);
 * `follow-up`: the sender writes again on the same subject, without tag or In-Reply-To;
 * `auto-reply`: an out-of-office answer to the acknowledgement.
 */
export type PlannedKind = 'new' | 'new-repeat-sender' | 'reply' | 'follow-up' | 'auto-reply';

/** One message of the stream; replies, follow-ups and auto-replies name the new ticket they answer. */
export interface PlannedMail {
  readonly position: number;
  readonly kind: PlannedKind;
  readonly language: Language;
  readonly format: MailFormat;
  readonly sender: { readonly address: string; readonly name: string };
  /** The customer's own Message-ID, with angle brackets. */
  readonly messageId: string;
  /** The position of the new ticket a reply, follow-up or auto-reply answers. */
  readonly parent: number | null;
  /** The subject of a new ticket or a follow-up (replies and auto-replies take the acknowledgement's). */
  readonly subject: string;
  readonly text: string;
}

/** What a reply needs from the acknowledgement atende sent for its parent. */
export interface Acknowledgement {
  readonly messageId: string;
  readonly subject: string;
}

export interface MailPlanOptions {
  readonly count: number;
  readonly seed: number;
  /** A reply answers a new ticket at least this many positions earlier, so its acknowledgement is (almost always) out. */
  readonly minParentDistance: number;
}

/** The mix: most mail opens tickets; a third answers one. */
const SHARES: readonly [PlannedKind, number][] = [
  ['new', 0.52],
  ['new-repeat-sender', 0.03],
  ['reply', 0.3],
  ['auto-reply', 0.15],
];
const FORMATS: readonly [MailFormat, number][] = [
  ['plain', 0.5],
  ['alternative', 0.35],
  ['attachment', 0.15],
];
export const DOMAINS = [
  'cliente.example',
  'empresa.example',
  'loja.example',
  'customer.example',
  'hosting.example',
  'acme.example',
];
export const NAMES: Record<Language, readonly string[]> = {
  en: ['Ana Smith', 'John Carter', 'Mary Jones', 'Peter Brown'],
  es: ['Lucía Pérez', 'Jorge Martínez', 'Carmen Ruiz', 'Diego Gómez'],
  pt: ['João Silva', 'Beatriz Souza', 'Marcos Oliveira', 'Fernanda Lima'],
};
export const SUBJECTS: Record<Language, readonly string[]> = {
  en: [
    'Printer offline since Monday',
    'Cannot access the dashboard',
    'Invoice shows the wrong amount',
    'How do I add a new user?',
    'Reports stopped arriving',
    'Password reset link expired',
  ],
  es: [
    'No puedo entrar a mi cuenta',
    'La factura del mes está mal',
    'El sistema no funciona desde ayer',
    '¿Cómo agrego un usuario nuevo?',
    'Los reportes no llegan',
    'Cambio de plan',
  ],
  pt: [
    'Não consigo acessar o painel',
    'Fatura com valor errado',
    'O sistema está fora do ar',
    'Como adiciono um novo usuário?',
    'Relatórios não chegam mais',
    'Alterar meu plano',
  ],
};
export const BODIES: Record<Language, readonly string[]> = {
  en: [
    'Hello,\n\nsince this morning the printer on the third floor does not print anything. We restarted it twice and the queue is still stuck. Could you have a look?\n\nThanks,',
    'Hi team,\n\nwe have been trying to log in to the dashboard for an hour and it keeps saying our session expired. Nobody in the office can get in.\n\nRegards,',
    'Good afternoon,\n\nthe invoice for this month charges us for twelve users, but we only have nine. Please check and send a corrected invoice.\n\nBest,',
  ],
  es: [
    'Hola,\n\ndesde ayer no puedo entrar a mi cuenta y necesito descargar las facturas del mes. Ya probé cambiar la contraseña y sigue igual. ¿Me pueden ayudar?\n\nGracias,',
    'Buenos días,\n\nla factura de este mes vino con un valor mayor al contratado. Les pido que la revisen y me envíen una corregida.\n\nSaludos,',
    'Estimados,\n\nel sistema no funciona desde ayer por la tarde y no podemos emitir pedidos. Es urgente para nosotros.\n\nAtentamente,',
  ],
  pt: [
    'Olá,\n\ndesde ontem não consigo acessar o painel e preciso baixar os relatórios do mês. Já troquei a senha e continua igual. Podem me ajudar?\n\nObrigado,',
    'Bom dia,\n\na fatura deste mês veio com o valor errado, cobrando doze usuários quando temos nove. Podem verificar, por favor?\n\nAtenciosamente,',
    'Prezados,\n\no sistema está fora do ar desde cedo e não conseguimos emitir pedidos. É urgente para nós.\n\nAbraços,',
  ],
};
export const REPLIES: Record<Language, readonly string[]> = {
  en: [
    'Thanks for the quick answer. It happened again just now, here is a screenshot of the error.',
    'Any news on this? We still cannot work.',
    'We tried what you suggested and it did not help.',
  ],
  es: [
    'Gracias por la respuesta. Volvió a pasar recién, les mando el error que aparece.',
    '¿Hay alguna novedad? Seguimos sin poder trabajar.',
    'Probamos lo que sugirieron y no funcionó.',
  ],
  pt: [
    'Obrigado pelo retorno. Aconteceu de novo agora há pouco, segue o erro que aparece.',
    'Alguma novidade? Continuamos sem conseguir trabalhar.',
    'Tentamos o que sugeriram e não resolveu.',
  ],
};
export const OUT_OF_OFFICE: Record<Language, { prefix: string; text: string }> = {
  en: {
    prefix: 'Automatic reply: ',
    text: 'I am out of the office until Monday with limited access to e-mail. For urgent matters please call the front desk.',
  },
  es: {
    prefix: 'Respuesta automática: ',
    text: 'Estoy fuera de la oficina hasta el lunes con acceso limitado al correo. Para temas urgentes llame a recepción.',
  },
  pt: {
    prefix: 'Resposta automática: ',
    text: 'Estou fora do escritório até segunda-feira com acesso limitado ao e-mail. Para assuntos urgentes ligue para a recepção.',
  },
};
export const LANGUAGES: readonly Language[] = ['en', 'es', 'pt'];
/** A small attachment: a few KB, like a screenshot thumbnail or a one-page PDF. */
const ATTACHMENT_BYTES = 3_000;

/** mulberry32: a tiny seeded generator, so every run sends the same mail. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const weighted = <T>(random: () => number, shares: readonly [T, number][]): T => {
  let roll = random();
  for (const [value, share] of shares) {
    roll -= share;
    if (roll < 0) return value;
  }
  return shares[shares.length - 1]![0];
};

/** Plans the stream: who writes what, in which order. Replies answer a new ticket at least `minParentDistance` earlier, each at most once per kind. */
export function planMail(options: MailPlanOptions): PlannedMail[] {
  return planStream(seededRandom(options.seed), options, (random) => weighted(random, SHARES));
}

/**
 * The corpus of issue 12, in blocks of 200 mails: 150 new tickets, 27 replies to the
 * acknowledgement (our subject tag, In-Reply-To), 13 follow-ups (the same sender and subject,
 * no tag, no In-Reply-To: threaded by the sender's open ticket) and 10 out-of-office answers
 * to the acknowledgement. Counts are exact for any multiple of 200; the order is shuffled by
 * the seed, a reply never earlier than `minParentDistance` after the ticket it answers.
 */
export const CORPUS_BLOCK: Readonly<Record<Exclude<PlannedKind, 'new-repeat-sender'>, number>> = {
  new: 150,
  reply: 27,
  'follow-up': 13,
  'auto-reply': 10,
};
const CORPUS_BLOCK_SIZE = Object.values(CORPUS_BLOCK).reduce((sum, count) => sum + count, 0);

export function planCorpus(options: MailPlanOptions): PlannedMail[] {
  if (!Number.isInteger(options.count / CORPUS_BLOCK_SIZE) || options.count <= 0)
    throw new RangeError(`the corpus comes in blocks of ${CORPUS_BLOCK_SIZE} mails; asked for ${options.count}`);
  const random = seededRandom(options.seed);
  const kinds = corpusKinds(random, options);
  return planStream(random, options, (_random, position) => kinds[position]!);
}

/**
 * The corpus's kinds in a seeded shuffle, then moved so that every answer has a ticket to
 * answer: where none is yet `minParentDistance` behind, it swaps with the next new ticket.
 * An answer of one kind needs a ticket that no earlier answer of that kind took, so what is
 * counted is the tickets far enough behind minus the answers of that kind already placed.
 */
function corpusKinds(random: () => number, options: MailPlanOptions): PlannedKind[] {
  const blocks = options.count / CORPUS_BLOCK_SIZE;
  const kinds = Object.entries(CORPUS_BLOCK).flatMap(([kind, count]) =>
    Array.from({ length: count * blocks }, () => kind as PlannedKind),
  );
  for (let index = kinds.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [kinds[index], kinds[other]] = [kinds[other]!, kinds[index]!];
  }
  // Positions of the new tickets so far, ascending; `behind` of them are far enough back.
  const newAt: number[] = [];
  let behind = 0;
  const answered = new Map<PlannedKind, number>();
  for (let position = 0; position < kinds.length; position += 1) {
    while (behind < newAt.length && newAt[behind]! <= position - options.minParentDistance) behind += 1;
    if (kinds[position] !== 'new' && behind - (answered.get(kinds[position]!) ?? 0) <= 0) {
      const next = kinds.indexOf('new', position + 1);
      if (next < 0)
        throw new RangeError(`no new ticket left for the answer at ${position}: minParentDistance too large`);
      [kinds[position], kinds[next]] = [kinds[next]!, kinds[position]!];
    }
    const kind = kinds[position]!;
    if (kind === 'new') newAt.push(position);
    else answered.set(kind, (answered.get(kind) ?? 0) + 1);
  }
  return kinds;
}

/** How a follow-up written from scratch starts its subject, by the sender's language (normalised away when threading). */
const FOLLOW_UP_PREFIX: Record<Language, string> = { en: 'Re: ', es: 'RE: ', pt: 'RES: ' };

/**
 * The stream for a sequence of kinds: who writes what. An answer (reply, follow-up,
 * auto-reply) takes a new ticket at least `minParentDistance` earlier that no answer of its
 * kind took yet; with none, it becomes a new ticket.
 */
function planStream(
  random: () => number,
  options: MailPlanOptions,
  kindAt: (random: () => number, position: number) => PlannedKind,
): PlannedMail[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const planned: PlannedMail[] = [];
  const news: number[] = [];
  const answeredBy = new Map<PlannedKind, Set<number>>();
  for (let position = 0; position < options.count; position += 1) {
    let kind = kindAt(random, position);
    const answering = kind === 'reply' || kind === 'auto-reply' || kind === 'follow-up';
    const answered = answeredBy.get(kind) ?? new Set<number>();
    answeredBy.set(kind, answered);
    const candidates = news.filter(
      (candidate) => candidate <= position - options.minParentDistance && !answered.has(candidate),
    );
    if (answering && candidates.length === 0) kind = 'new';
    if (kind === 'new-repeat-sender' && news.length === 0) kind = 'new';
    const format = weighted(random, FORMATS);
    if (answering && kind !== 'new') {
      // The more recent tickets are answered more often, as in a real inbox.
      const parent =
        candidates[Math.max(0, candidates.length - 1 - Math.floor(random() * Math.min(candidates.length, 200)))]!;
      answered.add(parent);
      const origin = planned[parent]!;
      const text = kind === 'auto-reply' ? OUT_OF_OFFICE[origin.language].text : pick(REPLIES[origin.language]);
      planned.push({
        ...origin,
        position,
        kind,
        format: kind === 'auto-reply' ? 'plain' : format,
        messageId: `<bench-${position}@${domainOf(origin.sender.address)}>`,
        parent,
        subject: kind === 'follow-up' ? `${FOLLOW_UP_PREFIX[origin.language]}${origin.subject}` : origin.subject,
        text,
      });
      continue;
    }
    const language = pick(LANGUAGES);
    const sender =
      kind === 'new-repeat-sender'
        ? planned[pick(news)]!.sender
        : { address: `customer-${position}@${pick(DOMAINS)}`, name: pick(NAMES[language]) };
    news.push(position);
    planned.push({
      position,
      kind,
      language,
      format,
      sender,
      messageId: `<bench-${position}@${domainOf(sender.address)}>`,
      parent: null,
      subject: `${pick(SUBJECTS[language])} (${position})`,
      text: `${pick(BODIES[language])}\n${sender.name}`,
    });
  }
  return planned;
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

/** RFC 2047 B-encoding for a header that is not plain ASCII. */
export const encodedWord = (text: string): string =>
  /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;

const base64Lines = (bytes: Buffer): string => (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

/**
 * The raw message for a planned mail. A reply or auto-reply needs its parent's
 * acknowledgement: it answers that (In-Reply-To) and keeps our subject tag.
 */
export function buildRawMail(mail: PlannedMail, acknowledgement: Acknowledgement | null): Buffer {
  const answering = mail.kind === 'reply' || mail.kind === 'auto-reply';
  const original = `<bench-${mail.parent ?? mail.position}@${domainOf(mail.sender.address)}>`;
  const subject = !answering
    ? mail.subject
    : mail.kind === 'reply'
      ? `Re: ${acknowledgement?.subject ?? mail.subject}`
      : `${OUT_OF_OFFICE[mail.language].prefix}${acknowledgement?.subject ?? mail.subject}`;
  const references = answering ? [original, ...(acknowledgement ? [acknowledgement.messageId] : [])] : [];
  const headers = [
    `From: ${encodedWord(mail.sender.name)} <${mail.sender.address}>`,
    'To: servicedesk@example.com',
    `Subject: ${encodedWord(subject)}`,
    'Date: Mon, 23 Nov 2026 10:00:00 -0300',
    `Message-ID: ${mail.messageId}`,
    ...(answering ? [`In-Reply-To: ${references[references.length - 1]}`, `References: ${references.join(' ')}`] : []),
    ...(mail.kind === 'auto-reply' ? ['Auto-Submitted: auto-replied', 'X-Autoreply: yes'] : []),
    'MIME-Version: 1.0',
  ];
  const text = mail.kind === 'reply' ? `${mail.text}\n\n> ${mail.subject}\n> (quoted acknowledgement)` : mail.text;
  const { contentHeaders, content } = bodyOf(mail, text);
  return Buffer.from(`${[...headers, ...contentHeaders].join('\r\n')}\r\n\r\n${content}`, 'utf8');
}

/** The MIME body in the planned format, and the header fields that describe it. */
function bodyOf(mail: PlannedMail, text: string): { contentHeaders: string[]; content: string } {
  const plainHeaders = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'];
  if (mail.format === 'plain') return { contentHeaders: plainHeaders, content: `${crlf(text)}\r\n` };
  const boundary = `=_bench_${mail.position}`;
  const html = `<html><body>${text
    .split('\n\n')
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('')}</body></html>`;
  const part = (fields: readonly string[], partContent: string): string =>
    `${fields.join('\r\n')}\r\n\r\n${partContent}\r\n`;
  const alternativeParts =
    `--${boundary}a\r\n${part(plainHeaders, crlf(text))}` +
    `--${boundary}a\r\n${part(['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit'], html)}` +
    `--${boundary}a--\r\n`;
  const alternativeHeader = `Content-Type: multipart/alternative; boundary="${boundary}a"`;
  if (mail.format === 'alternative') return { contentHeaders: [alternativeHeader], content: alternativeParts };
  const attachment = Buffer.alloc(ATTACHMENT_BYTES, mail.position % 251);
  const mixedParts =
    `--${boundary}m\r\n${part([alternativeHeader], alternativeParts)}` +
    `--${boundary}m\r\n${part(['Content-Type: application/pdf; name="report.pdf"', 'Content-Disposition: attachment; filename="report.pdf"', 'Content-Transfer-Encoding: base64'], base64Lines(attachment))}` +
    `--${boundary}m--\r\n`;
  return { contentHeaders: [`Content-Type: multipart/mixed; boundary="${boundary}m"`], content: mixedParts };
}
