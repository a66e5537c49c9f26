import { App } from 'aws-cdk-lib';
import { AtendeStack } from '../atende-stack.ts';

const app = new App();
new AtendeStack(app, app.node.tryGetContext('stackName') ?? 'Atende', {
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
});
