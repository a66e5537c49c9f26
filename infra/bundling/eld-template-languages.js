// `eld/small` as the Lambda bundles see it (esbuild's alias, infra/bundling/function-bundling.ts):
// the same detector, loaded with the `small` data restricted to the template languages
// (detector-languages.ts says why the results are the same; write-detector-languages.ts makes the data).
import { createEld } from '../../node_modules/eld/src/languageDetector.js';
import ngramsData from './eld-template-languages-data.js';

function build() {
  const { instance, loadData } = createEld();
  loadData(ngramsData);
  instance.newInstance = build;
  return instance;
}

export const eld = build();
export default eld;
