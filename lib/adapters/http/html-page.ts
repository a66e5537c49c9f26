import { PAGE_STYLESHEET_FILE } from '../templates/page-template.ts';
import type { HttpResponse, HttpRoute } from './http-exchange.ts';

/** Where the pages' stylesheet is served: a file of its own, so no page needs inline style. */
export const PAGE_STYLESHEET_PATH = `/pages/${PAGE_STYLESHEET_FILE}`;

/**
 * No script at all, styles from this server only, images from it and the brand logo's origin
 * only, forms posting only to it, never framed (clickjacking a "close my ticket" button), no
 * plugins, no base-URI rewriting.
 */
export const pageContentSecurityPolicy = (logo?: string): string =>
  `default-src 'none'; style-src 'self'; img-src 'self'${logo === undefined ? '' : ` ${new URL(logo).origin}`}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/**
 * A page's answer: never cached (it shows a customer's ticket), no referrer to other sites (the
 * URL holds the token; `same-origin`, not `no-referrer`, under which a browser posts our own form
 * with `Origin: null` and POST /tickets refuses it as foreign), no type sniffing, the strict CSP.
 */
export const htmlResponse = (
  status: number,
  html: string,
  options: { readonly headers?: Record<string, string>; readonly logo?: string | undefined } = {},
): HttpResponse => ({
  status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'content-security-policy': pageContentSecurityPolicy(options.logo),
    ...options.headers,
  },
  body: html,
});

/** A 303 after a form post: the browser GETs the page again, so a reload does not post twice. */
export const seeOther = (location: string): HttpResponse => ({
  status: 303,
  headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'same-origin' },
  body: '',
});

/** `GET /pages/page.css`: the stylesheet, cacheable (it holds nothing of anyone's). */
export const pageStylesheetRoute =
  (css: string): HttpRoute =>
  async (request) => {
    if (request.path !== PAGE_STYLESHEET_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) return null;
    return {
      status: 200,
      headers: {
        'content-type': 'text/css; charset=utf-8',
        'cache-control': 'public, max-age=3600',
        'x-content-type-options': 'nosniff',
      },
      body: request.method === 'HEAD' ? '' : css,
    };
  };

/** A method the path does not take (405), naming those it does. */
export const methodNotAllowed = (allow: string): HttpResponse => ({
  status: 405,
  headers: { allow, 'cache-control': 'no-store' },
  body: '',
});

/** A page's form post of another type than its forms send (415): formFields found none. */
export const notAFormPost = (): HttpResponse => ({
  status: 415,
  headers: { accept: 'application/x-www-form-urlencoded', 'cache-control': 'no-store' },
  body: '',
});

/** The form fields of a urlencoded body, or null when the body is of another type. */
export function formFields(headers: Readonly<Record<string, string>>, body: Buffer): URLSearchParams | null {
  const type = (headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return null;
  return new URLSearchParams(body.toString('utf8'));
}
