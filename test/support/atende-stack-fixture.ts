import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AtendeStack } from '../../infra/atende-stack.ts';
import { acceptedFindings, unacknowledgedFindings } from '../../infra/nag-suppressions.ts';
import { stackSettings } from '../../infra/stack-settings.ts';

/**
 * The stack as `npx cdk synth` builds it, with cdk-nag's AwsSolutions pack applied, but without
 * running esbuild (`aws:cdk:bundling-stacks: []`): the bundles have specs of their own.
 */
export function synthesizedStack(context: Record<string, unknown> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const settings = stackSettings((key) => app.node.tryGetContext(key));
  const stack: Stack = new AtendeStack(app, 'Test', {
    env: { account: '123456789012', region: 'us-east-1' },
    settings,
  });
  acceptedFindings(stack);
  const template = Template.fromStack(stack);
  const findings = () => unacknowledgedFindings(stack);
  return { app, stack, settings, template, findings };
}
