import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { HandlebarsNotificationRenderer } from '../../lib/adapters/templates/handlebars-notification-renderer.ts';
import { AtendeStack } from '../atende-stack.ts';
import { REPOSITORY_ROOT } from '../bundling/function-bundling.ts';
import { acceptedFindings, unacknowledgedFindings } from '../nag-suppressions.ts';
import { stackSettings } from '../stack-settings.ts';

// The functions parse their templates on first use (a cold start renders one of ~300): a
// template that does not parse stops the synth here instead (templates.invalid, with its path).
await HandlebarsNotificationRenderer.load(join(REPOSITORY_ROOT, 'templates'));

const app = new App();
const settings = stackSettings((key) => app.node.tryGetContext(key));
const stack = new AtendeStack(app, app.node.tryGetContext('stackName') ?? 'Atende', {
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
  settings,
});
acceptedFindings(stack);
// cdk-nag's AwsSolutions pack on every synth and deploy: a finding nobody acknowledged stops it.
const findings = unacknowledgedFindings(stack);
if (findings.length > 0) {
  console.error(
    `atende: cdk-nag (AwsSolutions) findings to fix or acknowledge in infra/nag-suppressions.ts:\n  ${findings.join('\n  ')}`,
  );
  process.exit(1);
}
