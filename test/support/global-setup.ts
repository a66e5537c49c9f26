/** Starts what every test run shares. Filled in as shared local parts (DynamoDB Local) arrive. */
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
