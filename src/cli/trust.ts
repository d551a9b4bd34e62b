/**
 * What the command line's connections trust for a `wss://` broker: the
 * system's certificates, plus the file `--tls-ca` names (a private CA, or a
 * self-signed broker certificate). Node can also be told with
 * `NODE_EXTRA_CA_CERTS`; Deno's Node compatibility has no such variable, so
 * the setting is the way that works on both.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import WebSocket from "ws";
import { type SocketFactory, type SocketLike, withMessageParts, zeroMask } from "../protocol/peer/mod.ts";
import { fileProblem, LocalFileError } from "./errors.ts";

/**
 * The certificates to trust when `--tls-ca` is given: the system's roots
 * and those of the file (a `ca` option replaces the roots, so they are
 * listed too).
 *
 * @param settings The settings.
 * @returns PEM texts, or `undefined` when the setting is absent (the system's roots alone).
 * @throws {LocalFileError} When the file cannot be read.
 */
export function trustedCa(settings: { tlsCa: string | undefined }): string[] | undefined {
  if (settings.tlsCa === undefined) return undefined;
  try {
    return [...rootCertificates, readFileSync(settings.tlsCa, "utf8")];
  } catch (error) {
    throw new LocalFileError(`Cannot read the certificates file "${settings.tlsCa}" of --tls-ca: ${fileProblem(error)}; give a PEM file of the certificates to trust`, { cause: error });
  }
}

const PartSendingWebSocket = withMessageParts(WebSocket);

/**
 * A socket factory for clients of the command line that trusts `--tls-ca`.
 *
 * @param settings The settings.
 * @returns The factory, or `undefined` (the client's default) when there is nothing extra to trust.
 * @throws {LocalFileError} When the file cannot be read.
 */
export function trustedSocketFactory(settings: { tlsCa: string | undefined }): SocketFactory | undefined {
  const ca = trustedCa(settings);
  if (ca === undefined) return undefined;
  return (url, protocol) => new PartSendingWebSocket(url, protocol, { ca, generateMask: zeroMask }) as unknown as SocketLike;
}
