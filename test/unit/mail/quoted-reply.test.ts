import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseInboundMail } from '../../../lib/domain/mail/parse-inbound-mail.ts';
import { stripQuotedReply } from '../../../lib/domain/mail/quoted-reply.ts';
import { corpusUrl } from '../../support/corpus-location.ts';

const talonUrl = new URL('mail/talon/', corpusUrl);
const talonPresent = existsSync(fileURLToPath(talonUrl));
if (!talonPresent)
  console.warn(
    `talon reply fixtures skipped: no ${fileURLToPath(talonUrl)} (set ATENDE_CORPUS_DIR to the corpus folder)`,
  );

describe.skipIf(!talonPresent)('the new part of replies from common mail clients (talon fixtures)', () => {
  it.each([
    ['android.eml', 'Hello'],
    ['aol.eml', 'Hello'],
    ['apple_mail.eml', 'Hello'],
    ['apple_mail_2.eml', 'Hello'],
    ['comcast.eml', 'Hello'],
    ['gmail.eml', 'Hello'],
    ['hotmail.eml', 'Hello'],
    ['iphone.eml', 'Hello\n\nSent from my iPhone'],
    ['outlook.eml', 'Hello'],
    ['sparrow.eml', 'Hello \n\n-- \nxxx\nSent with Sparrow (http://www.sparrowmailapp.com/?sig)'],
    ['thunderbird.eml', 'Hello'],
    ['yahoo.eml', 'Hello'],
  ])('keeps only the reply of %s', async (file, expected) => {
    const mail = await parseInboundMail(readFileSync(new URL(file, talonUrl)));

    expect(stripQuotedReply(mail.text)).toBe(expected);
  });

  it('cuts a Yahoo "--- On … wrote:" block with the quoted headers below it', async () => {
    const mail = await parseInboundMail(readFileSync(new URL('reply-quotations-share-block.eml', talonUrl)));

    const reply = stripQuotedReply(mail.text);

    expect(reply).toMatch(/^Hi Katharine\./);
    expect(reply).toMatch(/Joe XXX$/);
    expect(reply).not.toContain('From');
  });
});

describe('the new part of a reply', () => {
  it.each([
    [
      'Gmail in Spanish',
      'Ya funciona, gracias.\n\nEl lun, 3 mar 2025 a las 10:12, Soporte (<servicedesk@example.com>)\nescribió:\n\n> Hola Carla,\n> ¿puede probar de nuevo?',
      'Ya funciona, gracias.',
    ],
    [
      'Gmail in Portuguese',
      'Funcionou, obrigado!\n\nEm seg., 3 de mar. de 2025 às 10:12, Suporte <suporte@example.com> escreveu:\n\n> Olá João,\n> pode testar de novo?',
      'Funcionou, obrigado!',
    ],
    [
      'Thunderbird in German',
      'Danke, erledigt.\n\nAm 03.03.2025 um 10:12 schrieb Support:\n> Hallo,\n> bitte erneut versuchen.',
      'Danke, erledigt.',
    ],
    [
      'Outlook in English',
      'Works now.\n\n-----Original Message-----\nFrom: Support <servicedesk@example.com>\nSent: Monday, March 3, 2025 10:12 AM\nTo: Carla\nSubject: [Atende #1042] Reports',
      'Works now.',
    ],
    [
      'Outlook in Spanish',
      'Sigue sin funcionar.\n\n________________________________\nDe: Soporte <servicedesk@example.com>\nEnviado el: lunes, 3 de marzo de 2025 10:12\nPara: Carla Mendes\nAsunto: [Atende #1042] Reportes\n\nHola Carla, ¿puede probar de nuevo?',
      'Sigue sin funcionar.',
    ],
    [
      'Outlook in Portuguese',
      'Continua com erro.\n\nDe: Suporte <suporte@example.com>\nEnviada em: segunda-feira, 3 de março de 2025 10:12\nPara: João Silva\nAssunto: RE: [Atende #1043] Relatórios\n\nOlá João, pode testar de novo?',
      'Continua com erro.',
    ],
    [
      'Outlook in German',
      'Geht wieder.\n\nVon: Support <servicedesk@example.com>\nGesendet: Montag, 3. März 2025 10:12\nAn: Max\nBetreff: AW: Berichte',
      'Geht wieder.',
    ],
    [
      'a bare attribution under a line that starts like one',
      'El sistema ya funciona.\nJuan escribió:\n> ¿Funciona?',
      'El sistema ya funciona.',
    ],
    ['the Outlook separator in Spanish', 'Listo.\n\n-----Mensaje original-----\nDe: Soporte\nAsunto: x', 'Listo.'],
  ])('cuts the history quoted by %s', (_client, text, expected) => {
    expect(stripQuotedReply(text)).toBe(expected);
  });

  it('keeps a message without quoted history as it is', () => {
    expect(stripQuotedReply('Hello,\n\nthe reports do not load.\n\nRegards,\nAna')).toBe(
      'Hello,\n\nthe reports do not load.\n\nRegards,\nAna',
    );
  });

  it('keeps the answers written between quoted lines', () => {
    const text = '> Which browser?\nFirefox 128.\n> Which account?\nacme-main';

    expect(stripQuotedReply(text)).toBe('Firefox 128.\nacme-main');
  });

  it('keeps a forwarded message: it is the content, not history', () => {
    const text =
      'See below.\n\n---------- Forwarded message ---------\nFrom: Bank <noreply@bank.example>\nDate: Mon, 3 Mar 2025\nSubject: Payment failed\nTo: ana@cliente.example\n\nYour payment failed.';

    expect(stripQuotedReply(text)).toBe(text);
  });

  it('does not take a sentence about writing for an attribution', () => {
    const text = 'On Monday my colleague wrote to you about the invoice.\nWe still have no answer.';

    expect(stripQuotedReply(text)).toBe(text);
  });

  it('finds the answer under the history when the writer posted at the bottom', () => {
    expect(stripQuotedReply('On 04/02/2012 06:26 PM, Megan One wrote:\n> Hi\nHello')).toBe('Hello');
  });
});
