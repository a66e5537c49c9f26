import { type CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The routes the web function answers (functions/web-form.ts and DESIGN.md's HTTP contract):
 * the ticket API with its CORS preflight (answered by the function, which knows the allowed
 * origins), the hosted form, the status page and its posts and files, the survey page, and
 * the pages' stylesheet. Anything else is API Gateway's 404 and never reaches the function.
 */
export const WEB_ROUTES: readonly { readonly path: string; readonly methods: readonly HttpMethod[] }[] = [
  { path: '/tickets', methods: [HttpMethod.POST, HttpMethod.OPTIONS] },
  { path: '/form', methods: [HttpMethod.GET] },
  { path: '/t/{proxy+}', methods: [HttpMethod.GET, HttpMethod.POST] },
  { path: '/survey/{token}', methods: [HttpMethod.GET, HttpMethod.POST] },
  { path: '/pages/{file}', methods: [HttpMethod.GET] },
];

/** The HTTP API (API Gateway v2) in front of the web function: throttled, with JSON access logs. */
export class WebApi extends Construct {
  readonly api: HttpApi;
  readonly accessLogs: LogGroup;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly handler: IFunction; readonly rateLimit: number; readonly burstLimit: number },
  ) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { description: 'atende: POST /tickets and the customer pages' });
    const integration = new HttpLambdaIntegration('Web', props.handler);
    for (const route of WEB_ROUTES) this.api.addRoutes({ path: route.path, methods: [...route.methods], integration });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.defaultRouteSettings = { throttlingRateLimit: props.rateLimit, throttlingBurstLimit: props.burstLimit };
    stage.accessLogSettings = {
      destinationArn: this.accessLogs.logGroupArn,
      // No query string or path: a status link's token is in the path and must not sit in logs.
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        requestTime: '$context.requestTime',
        method: '$context.httpMethod',
        route: '$context.routeKey',
        status: '$context.status',
        length: '$context.responseLength',
        latency: '$context.integrationLatency',
      }),
    };
  }
}
