import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AtendeStack } from '../atende-stack.ts';
import { nodejsFunctionBundling } from '../bundling/nodejs-function-bundling.ts';
import { acceptedFindings } from '../nag-suppressions.ts';
import { stackSettings } from '../stack-settings.ts';

const app = new App();
const settings = stackSettings((key) => app.node.tryGetContext(key));
const stack = new AtendeStack(app, app.node.tryGetContext('stackName') ?? 'Atende', {
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
  settings,
  bundling: nodejsFunctionBundling,
});
acceptedFindings(stack);
// cdk-nag's AwsSolutions pack checks every synth and deploy; an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
