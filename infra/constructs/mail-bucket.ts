import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where SES's S3 action writes each received message (DESIGN.md: `<prefix><mail.messageId>`). */
export const INBOUND_MAIL_PREFIX = 'inbound/';
/**
 * Where the web form keeps a post with files as the raw mail of the web channel
 * (submit-web-form.ts: `web/<hash>` in the raw-mail store, so under its prefix).
 */
export const WEB_POST_PREFIX = `${INBOUND_MAIL_PREFIX}web/`;
/** Where messages' files are stored (attachment-keys.ts: `tickets/<n>/attachments/…`). */
export const ATTACHMENT_PREFIX = 'tickets/';

/**
 * The bucket of raw mail and attachments: encrypted, never public, TLS only, expiring after the
 * retention the deployment chose, and writable by SES for this account's receipt rule only.
 */
export class MailBucket extends Construct {
  readonly bucket: Bucket;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly retentionDays: number; readonly receiptRuleArn: string },
  ) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      lifecycleRules: [
        { id: 'raw-mail', prefix: INBOUND_MAIL_PREFIX, expiration: Duration.days(props.retentionDays) },
        { id: 'attachments', prefix: ATTACHMENT_PREFIX, expiration: Duration.days(props.retentionDays) },
        { id: 'abandoned-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // The customers' mail is the support team's record: a deleted stack leaves it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const account = Stack.of(this).account;
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowSesReceiptRuleToWriteMail',
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${INBOUND_MAIL_PREFIX}*`)],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': props.receiptRuleArn },
        },
      }),
    );
  }
}
