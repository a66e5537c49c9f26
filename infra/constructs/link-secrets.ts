import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The HMAC keys generated at the first deploy and kept in Secrets Manager, never in code or the
 * template: the key survey and status links are signed with, and (when the deployment signs web
 * posts) the one a company's backend signs POST /tickets with. The functions read them at cold start.
 */
export class LinkSecrets extends Construct {
  readonly links: Secret;
  readonly webForm: Secret | null;

  constructor(scope: Construct, id: string, props: { readonly signedWebForm: boolean }) {
    super(scope, id);
    const generated = (name: string, description: string) =>
      new Secret(this, name, {
        description,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        // Links mailed to customers stay valid across a redeploy, and a deleted stack can be restored.
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.links = generated('LinkSigning', 'atende: signs the survey and ticket status links mailed to customers');
    this.webForm = props.signedWebForm
      ? generated('WebFormSigning', 'atende: the HMAC key server-to-server POST /tickets requests are signed with')
      : null;
  }
}
