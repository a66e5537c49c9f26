import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClientConfig, startDynamoDbLocal } from '../lib/adapters/dynamodb/dynamodb-local.ts';
import { DynamoDbTicketStore } from '../lib/adapters/dynamodb/dynamodb-ticket-store.ts';
import { createTicketTable } from '../lib/adapters/dynamodb/ticket-table.ts';
import { LocalMailer } from '../lib/adapters/mail/local-mailer.ts';
import { startSesEmulator } from '../lib/adapters/mail/ses-emulator.ts';
import { InMemoryAttachmentStore } from '../lib/adapters/memory/in-memory-attachment-store.ts';
import { InMemoryRawMailStore } from '../lib/adapters/memory/in-memory-raw-mail-store.ts';
import { RecordingTimers } from '../lib/adapters/memory/recording-timers.ts';
import { loadPolicyFile } from '../lib/adapters/policy-file.ts';
import { HandlebarsNotificationRenderer } from '../lib/adapters/templates/handlebars-notification-renderer.ts';
import { type IngestResult, ingestEmail } from '../lib/application/ingest-email.ts';
import type { Clock } from '../lib/application/ports/clock.ts';
import type { OutgoingMail } from '../lib/application/ports/mailer.ts';
import type { NotificationRenderer } from '../lib/application/ports/notification-renderer.ts';
import { SignedStatusLinks } from '../lib/application/signed-status-links.ts';
import { SignedSurveyLinks } from '../lib/application/signed-survey-links.ts';
import { isAtendeError } from '../lib/domain/atende-error.ts';
import type { Policy } from '../lib/domain/policy/policy-schema.ts';
import { SlaClock } from '../lib/domain/sla/sla-schedule.ts';
import { pooled } from './ingest-floor.ts';
import { type Acknowledgement, buildRawMail, type PlannedKind, type PlannedMail } from './ingest-mail-generator.ts';
import { IngestMeter, type MessageCost } from './ingest-meter.ts';

/** Signs the survey links of the mail this run sends (never followed). */
const SURVEY_SECRET = Buffer.from('survey links of this run, signed but never followed');

/** One ingested message, as measured. */
export interface Measured {
  readonly kind: PlannedKind;
  readonly ms: number;
  readonly cost: MessageCost;
  /** The result's outcome (with `sent` purposes), or `threw <code>`. */
  readonly outcome: string;
  readonly sent: readonly string[];
}

export interface RigOptions {
  readonly name: string;
  readonly dynamodbEndpoint: string;
  readonly sesEndpoint: string;
  readonly dataDirectory: string;
  readonly policy: Policy;
  readonly renderer: NotificationRenderer;
  /** Ask DynamoDB for the capacity units of every request (the cost bench); off, the requests are the store's own. */
  readonly capacity?: boolean;
}

/** Where the bench's own Message-IDs carry the plan position: `<bench-12@cliente.example>`. */
const PLANNED_ID = /^<bench-(\d+)@/;

/**
 * The ingest use case wired as the local stack wires it (DynamoDB Local table, SES emulator
 * through the LocalMailer, in-memory raw mail), metered per message. It remembers the
 * acknowledgement sent for each new ticket, so a later reply can answer it as a mail client would.
 */
export class IngestRig {
  readonly client: DynamoDBClient;
  readonly store: DynamoDbTicketStore;
  private readonly meter = new IngestMeter();
  private readonly localMailer: LocalMailer;
  private readonly rawMail = new InMemoryRawMailStore();
  private readonly acknowledgements = new Map<number, Acknowledgement>();
  private readonly finished = new Map<number, Promise<void>>();
  private sampleAcknowledgement: OutgoingMail | null = null;

  private constructor(
    private readonly options: RigOptions,
    readonly tableName: string,
  ) {
    this.client = new DynamoDBClient(localDynamoDbClientConfig(options.dynamodbEndpoint));
    this.meter.attach(this.client, { capacity: options.capacity ?? false });
    this.store = new DynamoDbTicketStore({ client: this.client, tableName });
    this.localMailer = new LocalMailer({
      endpoint: options.sesEndpoint,
      dataDirectory: join(options.dataDirectory, options.name),
    });
  }

  static async create(options: RigOptions): Promise<IngestRig> {
    const rig = new IngestRig(options, `bench-${options.name}`);
    await createTicketTable(rig.client, rig.tableName);
    return rig;
  }

  /** An acknowledgement this rig sent, to compose the send floor from a real one. */
  get acknowledgementSample(): OutgoingMail | null {
    return this.sampleAcknowledgement;
  }

  /**
   * Ingests the planned mail with `concurrency` workers pulling from one queue, in plan order.
   * A reply waits until its parent was ingested (it cannot answer an acknowledgement not yet
   * sent); its raw bytes are built and stored before its clock starts.
   */
  async run(
    plan: readonly PlannedMail[],
    concurrency: number,
    clock: Clock,
  ): Promise<{ measured: Measured[]; seconds: number; raws: Buffer[] }> {
    const deps = {
      policy: this.options.policy,
      sla: new SlaClock(this.options.policy),
      store: this.store,
      rawMail: this.meter.wrapRawMail(this.rawMail),
      attachments: this.meter.wrapAttachments(new InMemoryAttachmentStore()),
      mailer: this.meter.wrapMailer(this.localMailer, (mail, sent) => this.remember(mail, sent.messageId)),
      renderer: this.options.renderer,
      clock,
      timers: this.meter.wrapTimers(new RecordingTimers()),
      surveyLinks: new SignedSurveyLinks({
        secret: SURVEY_SECRET,
        baseUrl: 'https://support.example.test',
        policy: this.options.policy,
        clock: clock,
      }),
      statusLinks: new SignedStatusLinks({
        secret: SURVEY_SECRET,
        baseUrl: 'https://support.example.test',
        policy: this.options.policy,
        clock: clock,
      }),
    };
    const settle = new Map<number, () => void>();
    for (const mail of plan)
      this.finished.set(mail.position, new Promise<void>((resolve) => settle.set(mail.position, resolve)));
    // New tickets are stored up front; replies can only be written once their acknowledgement is known.
    for (const mail of plan) if (mail.parent === null) await this.rawMail.put(rawKey(mail), buildRawMail(mail, null));

    const measured: Measured[] = [];
    const raws: Buffer[] = [];
    const rate = await pooled(plan.length, concurrency, async (index) => {
      const mail = plan[index]!;
      try {
        if (mail.parent !== null) {
          await this.finished.get(mail.parent);
          await this.rawMail.put(rawKey(mail), buildRawMail(mail, this.acknowledgements.get(mail.parent) ?? null));
        }
        raws.push(Buffer.from(await this.rawMail.get(rawKey(mail))));
        const { value, cost, ms } = await this.meter.measure(() => ingestOrError(deps, mail));
        measured.push({ kind: mail.kind, ms, cost, outcome: value.outcome, sent: value.sent });
      } finally {
        settle.get(mail.position)?.();
      }
    });
    return { measured, seconds: rate.operations / rate.perSecond, raws };
  }

  private remember(mail: OutgoingMail, messageId: string): void {
    if (mail.autoSubmitted !== 'auto-replied') return;
    this.sampleAcknowledgement ??= mail;
    const position = PLANNED_ID.exec(mail.inReplyTo ?? '')?.[1];
    if (position !== undefined) this.acknowledgements.set(Number(position), { messageId, subject: mail.subject });
  }

  close(): void {
    this.localMailer.close();
    this.client.destroy();
  }
}

const rawKey = (mail: PlannedMail): string => `inbound/bench-${mail.position}`;

/** The result as a label; an error is measured too (it is what the message cost), with its code. */
async function ingestOrError(
  deps: Parameters<typeof ingestEmail>[0],
  mail: PlannedMail,
): Promise<{ outcome: string; sent: readonly string[] }> {
  try {
    const result: IngestResult = await ingestEmail(deps, {
      receiptKey: `bench-${mail.position}`,
      rawKey: rawKey(mail),
      recipients: ['servicedesk@example.com'],
    });
    return { outcome: result.outcome, sent: 'sent' in result ? result.sent : [] };
  } catch (error) {
    return {
      outcome: `threw ${isAtendeError(error) ? error.code : error instanceof Error ? error.name : 'non-error'}`,
      sent: [],
    };
  }
}

/**
 * What an ingest bench runs on: the shipped policy and templates, a fresh DynamoDB Local and SES
 * emulator, a temporary data folder, and the rigs made on them; `close` stops all of it.
 */
export async function startIngestBench(options: { readonly name: string; readonly capacity?: boolean }) {
  const [policy, renderer] = await Promise.all([loadPolicyFile(), HandlebarsNotificationRenderer.load()]);
  const dynamodb = await startDynamoDbLocal();
  const emulator = await startSesEmulator();
  const dataDirectory = await mkdtemp(join(tmpdir(), `atende-bench-${options.name}-`));
  const rigs: IngestRig[] = [];
  const rig = async (name: string): Promise<IngestRig> => {
    const made = await IngestRig.create({
      name,
      dynamodbEndpoint: dynamodb.endpoint,
      sesEndpoint: emulator.endpoint,
      dataDirectory,
      policy,
      renderer,
      ...(options.capacity ? { capacity: true } : {}),
    });
    rigs.push(made);
    return made;
  };
  const close = async (): Promise<void> => {
    for (const made of rigs) made.close();
    await emulator.stop();
    await dynamodb.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  };
  return { policy, renderer, dynamodb, emulator, dataDirectory, rigs, rig, close };
}
