// `linkify-it` as the Lambda bundles see it (esbuild's alias, infra/bundling/function-bundling.ts).
// mailparser builds its linkifier when it is imported: five compilations of linkify-it's large
// regular expressions (~20 ms of every cold start, measured with --cpu-prof), for the links of
// textAsHtml, which atende never asks for (skipTextLinks). This stand-in records the
// configuration and builds the real linkifier, configured the same way, on first use.
import LinkifyIt from '../../node_modules/linkify-it/index.mjs';

const CONFIGURING = ['tlds', 'add', 'set'];

export default function linkifyOnFirstUse(...options) {
  const configuration = [];
  let linkifier;
  const built = () => {
    if (linkifier === undefined) {
      linkifier = new LinkifyIt(...options);
      for (const [method, args] of configuration) linkifier[method](...args);
    }
    return linkifier;
  };
  const stand = new Proxy(
    {},
    {
      get(_target, property) {
        if (linkifier === undefined && CONFIGURING.includes(property)) {
          return (...args) => {
            configuration.push([property, args]);
            return stand;
          };
        }
        const value = built()[property];
        return typeof value === 'function' ? value.bind(built()) : value;
      },
    },
  );
  return stand;
}
