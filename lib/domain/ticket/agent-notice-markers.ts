/**
 * The words that make a notification to agents recognisable, once per template language:
 * the reply marker line (as Zendesk's "##- Please type your reply above this line -##"), the
 * banner saying the mail is internal, and the section headings and fact labels its templates
 * print. Templates get the marker and the banner from here (NotificationMail puts them in the
 * context); the headings and labels are checked against the rendered templates by the
 * renderer's tests. Agent-reply extraction reads all of them, in every language, to cut an
 * agent's answer at the marker and to refuse a reply that still carries an internal notice.
 */
export interface AgentNoticeWords {
  /** The sentence of the reply marker line; `replyMarkerLine` frames it. */
  readonly replyMarker: string;
  /** One line saying that the mail is internal and not for the customer. */
  readonly banner: string;
  /** Heading of the priority's response strategy, followed by the strategy (text) or alone (HTML). */
  readonly responseStrategy: string;
  /**
   * Headings only agents' notices have, each alone on its line above a list: flags, participants
   * not added, an escalation's last messages and the contacts it went to, and the follow-ups the
   * throttle held.
   */
  readonly listHeadings: readonly string[];
  /**
   * Labels of the ticket's facts (subject, requester, plan, status …, and an SLA alert's target,
   * due time and business time). Each alone is an
   * ordinary word an agent may write at the start of a line ("Status: fixed"); two of them
   * are a notice's summary.
   */
  readonly factLabels: readonly string[];
}

export const AGENT_NOTICE_WORDS: Readonly<Record<string, AgentNoticeWords>> = {
  en: {
    replyMarker: 'Please type your reply above this line',
    banner: 'Internal notification for the support team: do not forward it to the customer.',
    responseStrategy: 'Response strategy',
    listHeadings: [
      'Look twice',
      'Not added to the ticket',
      'The last messages with the customer',
      'This level is escalated to',
      'Held follow-ups',
    ],
    factLabels: [
      'Subject',
      'Requester',
      'Channel',
      'Plan',
      'Status',
      'Priority',
      'Queue',
      'First response due',
      'Resolution due',
      'Target',
      'Due',
      'Business time',
    ],
  },
  es: {
    replyMarker: 'Escriba su respuesta encima de esta línea',
    banner: 'Aviso interno para el equipo de soporte: no lo reenvíe al cliente.',
    responseStrategy: 'Estrategia de respuesta',
    listHeadings: [
      'Revise con atención',
      'No añadidos al ticket',
      'Los últimos mensajes con el cliente',
      'Este nivel se ha escalado a',
      'Seguimientos retenidos',
    ],
    factLabels: [
      'Asunto',
      'Solicitante',
      'Canal',
      'Plan',
      'Estado',
      'Prioridad',
      'Cola',
      'Primera respuesta antes de',
      'Resolución antes de',
      'Objetivo',
      'Vence',
      'Tiempo hábil',
    ],
  },
  'pt-BR': {
    replyMarker: 'Digite sua resposta acima desta linha',
    banner: 'Aviso interno para a equipe de suporte: não o encaminhe ao cliente.',
    responseStrategy: 'Estratégia de atendimento',
    listHeadings: [
      'Atenção redobrada',
      'Não adicionados ao ticket',
      'As últimas mensagens com o cliente',
      'Este nível foi escalonado para',
      'Mensagens retidas',
    ],
    factLabels: [
      'Assunto',
      'Solicitante',
      'Canal',
      'Plano',
      'Status',
      'Prioridade',
      'Fila',
      'Primeira resposta até',
      'Resolução até',
      'Meta',
      'Prazo',
      'Tempo útil',
    ],
  },
  de: {
    replyMarker: 'Bitte schreiben Sie Ihre Antwort oberhalb dieser Zeile',
    banner: 'Interne Mitteilung für das Support-Team: nicht an den Kunden weiterleiten.',
    responseStrategy: 'Antwortstrategie',
    listHeadings: [
      'Bitte genau prüfen',
      'Nicht zum Ticket hinzugefügt',
      'Die letzten Nachrichten mit dem Kunden',
      'Diese Stufe geht an',
      'Zurückgehaltene Nachfragen',
    ],
    factLabels: [
      'Betreff',
      'Kontakt',
      'Kanal',
      'Tarif',
      'Status',
      'Priorität',
      'Warteschlange',
      'Erste Antwort fällig',
      'Lösung fällig',
      'Ziel',
      'Fällig',
      'Geschäftszeit',
    ],
  },
  ru: {
    replyMarker: 'Пожалуйста, напишите ответ над этой строкой',
    banner: 'Внутреннее уведомление для службы поддержки: не пересылайте его клиенту.',
    responseStrategy: 'Стратегия ответа',
    listHeadings: [
      'Проверьте дважды',
      'Не добавлены в заявку',
      'Последние сообщения с клиентом',
      'Этот уровень эскалации получают',
      'Задержанные сообщения',
    ],
    factLabels: [
      'Тема',
      'Клиент',
      'Канал',
      'Тариф',
      'Статус',
      'Приоритет',
      'Очередь',
      'Первый ответ до',
      'Решение до',
      'Цель',
      'Срок',
      'Рабочее время',
    ],
  },
};

/** The language whose words stand in for one that has none. */
const FALLBACK_LOCALE = 'en';

/** The words for a template language, or English for a language that has none. */
export function agentNoticeWords(locale: string): AgentNoticeWords {
  return AGENT_NOTICE_WORDS[locale] ?? (AGENT_NOTICE_WORDS[FALLBACK_LOCALE] as AgentNoticeWords);
}

/** The reply marker line as notifications print it: `##- Please type your reply above this line -##`. */
export const replyMarkerLine = (words: AgentNoticeWords): string => `##- ${words.replyMarker} -##`;

/**
 * Text reduced to its words: compatibility forms folded (NFKC), lower case, invisible
 * characters dropped, and every run of anything that is not a letter or a digit (quote
 * marks, `#-` frames, punctuation, line breaks) one space, with a space at each end. What mail
 * clients do to a line when quoting, wrapping or converting it changes none of that.
 */
function wordsOf(text: string): string {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  // Padded, so that a phrase is only found as whole words: " please type … line " within the text's words.
  return ` ${words} `;
}

const ALL_WORDS = Object.values(AGENT_NOTICE_WORDS);
const MARKERS = ALL_WORDS.map((words) => wordsOf(words.replyMarker));
const BANNERS = ALL_WORDS.map((words) => wordsOf(words.banner));

/** A marker line is short; a longer line is not taken for one (the notice check still finds a marker in it). */
const MAX_MARKER_LINE_CHARS = 1_000;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The longest word of each marker, which no quoting or re-spacing changes: a line without one
 * of them is no marker line, and is passed over without normalising it.
 */
const MARKER_ANCHOR = new RegExp(
  MARKERS.map((marker) =>
    escapeRegExp(
      marker
        .trim()
        .split(' ')
        .reduce((longest, word) => (word.length > longest.length ? word : longest), ''),
    ),
  ).join('|'),
  'iu',
);

/** Does this line hold a reply marker, in any language (quoted, reframed or re-spaced)? */
export function isReplyMarkerLine(line: string): boolean {
  if (line.length > MAX_MARKER_LINE_CHARS || !MARKER_ANCHOR.test(line)) return false;
  const words = wordsOf(line);
  return MARKERS.some((marker) => words.includes(marker));
}

const alternation = (phrases: readonly string[]): string =>
  [...new Set(phrases)]
    .sort((a, b) => b.length - a.length)
    .map((phrase) => escapeRegExp(phrase).replace(/ /g, '\\s+'))
    .join('|');

/** What may stand before a heading on its line: quote marks, list bullets, emphasis. */
const LINE_LEAD = String.raw`^[\s>*_•·-]*`;
/** A heading alone on its line, with or without a colon, in emphasis or not. */
const HEADING_ALONE = new RegExp(
  `${LINE_LEAD}(?:${alternation(ALL_WORDS.flatMap((words) => [...words.listHeadings, words.responseStrategy]))})[*_\\s]*:?[*_\\s]*$`,
  'iu',
);
/** "Response strategy: Call the customer at once …" */
const STRATEGY_LINE = new RegExp(
  `${LINE_LEAD}(?:${alternation(ALL_WORDS.map((words) => words.responseStrategy))})[*_\\s]*:`,
  'iu',
);
/** A fact label at the start of its line, alone (HTML tables) or before a colon (text). */
const FACT_LABEL = new RegExp(
  `${LINE_LEAD}(${alternation(ALL_WORDS.flatMap((words) => words.factLabels))})[*_\\s]*(?::|$)`,
  'iu',
);

/**
 * Does the text still hold part of an agents' notification, in any language: its reply
 * marker or banner (anywhere, even wrapped over lines), a section heading of its own, or two
 * different fact labels at the start of lines? Linear in the text: each line is tested
 * against a few anchored patterns once.
 */
export function containsAgentNotice(text: string): boolean {
  const words = wordsOf(text);
  if (MARKERS.some((marker) => words.includes(marker)) || BANNERS.some((banner) => words.includes(banner))) {
    return true;
  }
  const labels = new Set<string>();
  for (const line of text.split('\n')) {
    // A heading is short: a long line is prose, whatever it starts with (and no pattern runs over it).
    const head = line.length > 200 ? line.slice(0, 200) : line;
    if (HEADING_ALONE.test(head) || STRATEGY_LINE.test(head)) return true;
    const label = FACT_LABEL.exec(head)?.[1];
    if (label !== undefined) labels.add(wordsOf(label));
    if (labels.size >= 2) return true;
  }
  return false;
}
