import { MposError } from "../../kernel/errors";
import { ConnectionError } from "../../client/errors";
import type { ReaderClient } from "../../client";
import { pair, startTestReader } from "../protocol/support";

// The SDK's side of "a bug is reported, never swallowed" (issue 12; the reader's side is
// kernel/protocol/reader-connection.ts onInternalError): an exception that is not a typed error,
// thrown while the SDK handles the reader's frames, reaches ReaderClientOptions.onInternalError;
// a record the peer got wrong (a typed error) is dropped without a report.

interface Phone {
  client: ReaderClient;
  bugs: unknown[];
  /** Makes opening the reader's next records throw `error`; returns how to undo it. */
  breakRecords(error: Error): () => void;
}

/** A phone paired with a test reader whose hook collects the bugs (or throws, with `failingHook`). */
async function pairedPhone(failingHook = false): Promise<Phone> {
  const reader = await startTestReader();
  const bugs: unknown[] = [];
  const onInternalError = (e: unknown): void => {
    if (failingHook) throw new Error("the app's hook failed");
    bugs.push(e);
  };
  const { client } = reader.phone({ onInternalError, requestTimeoutMs: 200 });
  await client.connect();
  await pair(reader, client);
  const session = (client as unknown as { session: { open(bytes: Uint8Array): Uint8Array } }).session;
  return {
    client, bugs,
    breakRecords(error) {
      const open = session.open;
      session.open = () => { throw error; };
      return () => { session.open = open; };
    },
  };
}

describe("ReaderClient: bugs while the reader's frames are handled", () => {
  it("a bug while a record is handled is reported through onInternalError and the connection goes on", async () => {
    const { client, bugs, breakRecords } = await pairedPhone();
    const repair = breakRecords(new TypeError("a bug in the SDK"));
    await expect(client.getStatus()).rejects.toBeInstanceOf(ConnectionError);
    expect(bugs).toEqual([expect.any(TypeError)]);
    expect(client.internalErrors).toBe(1);
    repair();
    await expect(client.getStatus()).resolves.toMatchObject({ transactionActive: false });
    await client.disconnect();
  });

  it("a record that does not open (the peer's fault, a typed error) is dropped without a report", async () => {
    const { client, bugs, breakRecords } = await pairedPhone();
    const repair = breakRecords(new MposError("session-record", "a record that does not open"));
    await expect(client.getStatus()).rejects.toBeInstanceOf(ConnectionError);
    repair();
    expect(bugs).toEqual([]);
    expect(client.internalErrors).toBe(0);
    await client.disconnect();
  });

  it("a hook that throws does not break the connection", async () => {
    const { client, breakRecords } = await pairedPhone(true);
    const repair = breakRecords(new RangeError("a bug"));
    await expect(client.getStatus()).rejects.toBeInstanceOf(ConnectionError);
    repair();
    await expect(client.getStatus()).resolves.toMatchObject({ transactionActive: false });
    expect(client.internalErrors).toBe(1);
    await client.disconnect();
  });
});
