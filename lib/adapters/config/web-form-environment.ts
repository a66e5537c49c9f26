import * as z from 'zod';

/** Origins as `scheme://host[:port]`, comma-separated; empty: none but the deployment's own. */
const OriginList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
  )
  .pipe(z.array(z.url().transform((origin) => new URL(origin).origin)));

/** What the web form's API reads from the environment, locally and in the Lambda alike. */
export const WebFormEnvironment = {
  /** Sites whose pages may post to POST /tickets from a browser (CORS). */
  ATENDE_CORS_ORIGINS: OriginList,
  /** When set, every post must be signed: `X-Atende-Signature: sha256=<hex HMAC-SHA256 of the body>`. Never echoed. */
  ATENDE_WEBFORM_SECRET: z
    .string()
    .optional()
    .transform((value) => (value === '' || value === undefined ? null : value)),
};
