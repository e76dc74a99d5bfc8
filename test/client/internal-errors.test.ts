import { MposError } from "../../kernel/errors";
import { ConnectionError } from "../../client/errors";
import { pair, startTestReader } from "../protocol/support";

// The SDK's side of "a bug is reported, never swallowed" (issue 12; the reader's side is
// kernel/protocol/reader-connection.ts onInternalError): an exception that is not a typed error,
// thrown while the SDK handles the reader's frames, reaches ReaderClientOptions.onInternalError;
// a record the peer got wrong (a typed error) is dropped without a report.

describe("ReaderClient: bugs while the reader's frames are handled", () => {
  it("a bug while a record is handled is reported through onInternalError and the connection goes on", async () => {
    const reader = await startTestReader();
    const bugs: unknown[] = [];
    const { client } = reader.phone({ onInternalError: (e) => bugs.push(e), requestTimeoutMs: 200 });
    await client.connect();
    await pair(reader, client);
    const session = (client as unknown as { session: { open(bytes: Uint8Array): Uint8Array } }).session;
    const open = session.open.bind(session);
    session.open = () => { throw new TypeError("a bug in the SDK"); };
    await expect(client.getStatus()).rejects.toBeInstanceOf(ConnectionError);
    expect(bugs).toEqual([expect.any(TypeError)]);
    expect(client.internalErrors).toBe(1);
    session.open = open;
    await expect(client.getStatus()).resolves.toMatchObject({ transactionActive: false });
    await client.disconnect();
  });

  it("a record that does not open (the peer's fault, a typed error) is dropped without a report", async () => {
    const reader = await startTestReader();
    const bugs: unknown[] = [];
    const { client } = reader.phone({ onInternalError: (e) => bugs.push(e), requestTimeoutMs: 200 });
    await client.connect();
    await pair(reader, client);
    const session = (client as unknown as { session: { open(bytes: Uint8Array): Uint8Array } }).session;
    const open = session.open.bind(session);
    session.open = () => { throw new MposError("session-record", "a record that does not open"); };
    await expect(client.getStatus()).rejects.toBeInstanceOf(ConnectionError);
    session.open = open;
    expect(bugs).toEqual([]);
    expect(client.internalErrors).toBe(0);
    await client.disconnect();
  });

  it("a hook that throws does not break the connection", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone({ onInternalError: () => { throw new Error("the app's hook failed"); }, requestTimeoutMs: 200 });
    await client.connect();
    await pair(reader, client);
    const session = (client as unknown as { session: { open(bytes: Uint8Array): Uint8Array } }).session;
    const open = session.open.bind(session);
    session.open = () => { throw new RangeError("a bug"); };
    await expect(client.getStatus()).rejects.toBeInstanceOf(ConnectionError);
    session.open = open;
    await expect(client.getStatus()).resolves.toMatchObject({ transactionActive: false });
    expect(client.internalErrors).toBe(1);
    await client.disconnect();
  });
});
