/**
 * The page's behaviour: the store, retrieve and delete forms of
 * `index.html`, wired to the client library over the broker that served the
 * page.
 *
 * @module
 */
import { connect, keyFromText, keyToText, type StrongroomClient, UnavailableError } from "../client/mod.ts";
import { describeError, describePayload } from "./present.ts";

/** Options of {@link mountPage}. */
export interface PageOptions {
  /** The broker's WebSocket URL. @default the page's own origin, as ws:// or wss:// */
  url?: string;
}

/**
 * Wires the page's forms to a client.
 *
 * @param document The page's document, holding the elements of `index.html`.
 * @param options The broker's URL.
 * @throws {TypeError} When an element the page needs is missing.
 * @example In the page's script
 * ```ts ignore
 * import { mountPage } from "./page.ts";
 * mountPage(document);
 * ```
 */
export function mountPage(document: Document, options: PageOptions = {}): void {
  const { location } = document.defaultView ?? globalThis;
  const { url = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}` } = options;
  const get = <T extends Element>(id: string) => {
    const element = document.getElementById(id);
    if (!element) throw new TypeError(`Cannot set up the page: element "#${id}" is missing`);
    return element as unknown as T;
  };
  const storeForm = get<HTMLFormElement>("store-form");
  const storeId = get<HTMLInputElement>("store-id");
  const storeText = get<HTMLTextAreaElement>("store-text");
  const storeFile = get<HTMLInputElement>("store-file");
  const storeResult = get<HTMLElement>("store-result");
  const storeKey = get<HTMLOutputElement>("store-key");
  const copyKey = get<HTMLButtonElement>("copy-key");
  const storeError = get<HTMLElement>("store-error");
  const retrieveForm = get<HTMLFormElement>("retrieve-form");
  const retrieveId = get<HTMLInputElement>("retrieve-id");
  const retrieveKey = get<HTMLInputElement>("retrieve-key");
  const deleteButton = get<HTMLButtonElement>("delete-button");
  const retrieveResult = get<HTMLElement>("retrieve-result");
  const retrieveSummary = get<HTMLElement>("retrieve-summary");
  const retrieveText = get<HTMLElement>("retrieve-text");
  const download = get<HTMLAnchorElement>("retrieve-download");
  const retrieveError = get<HTMLElement>("retrieve-error");
  const token = get<HTMLInputElement>("token");

  // One connection, opened on first use and again after it was lost or the token changed.
  let client: Promise<StrongroomClient> | undefined;
  const forget = () => {
    void client?.then((c) => c.close(), () => {});
    client = undefined;
  };
  const withClient = async <T>(work: (c: StrongroomClient) => Promise<T>): Promise<T> => {
    client ??= connect(url, token.value === "" ? {} : { token: token.value });
    const current = client;
    try {
      return await work(await current);
    } catch (error) {
      if (error instanceof UnavailableError && client === current) forget();
      throw error;
    }
  };
  token.addEventListener("change", forget);

  const showError = (element: HTMLElement, error: unknown) => {
    const { code, message } = describeError(error);
    const strong = document.createElement("strong");
    strong.textContent = code;
    element.replaceChildren(strong, `: ${message}`);
    element.dataset.code = code;
    element.hidden = false;
  };
  const busy = async (form: HTMLFormElement, errorBox: HTMLElement, work: () => Promise<void>) => {
    const buttons = [...form.querySelectorAll("button")];
    errorBox.hidden = true;
    form.setAttribute("aria-busy", "true");
    for (const button of buttons) button.disabled = true;
    try {
      await work();
    } catch (error) {
      showError(errorBox, error);
    } finally {
      form.removeAttribute("aria-busy");
      for (const button of buttons) button.disabled = false;
    }
  };

  const kind = () => (storeForm.elements.namedItem("kind") as RadioNodeList).value;
  const showKind = () => {
    const file = kind() === "file";
    for (const element of [storeFile, get<HTMLElement>("store-file-label")]) element.hidden = !file;
    for (const element of [storeText, get<HTMLElement>("store-text-label")]) element.hidden = file;
  };
  storeForm.addEventListener("change", showKind);
  showKind();

  storeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    storeResult.hidden = true;
    void busy(storeForm, storeError, async () => {
      let payload: Uint8Array | string = storeText.value;
      if (kind() === "file") {
        const file = storeFile.files?.[0];
        if (!file) throw new TypeError("Choose a file to store");
        payload = new Uint8Array(await file.arrayBuffer());
      }
      const key = await withClient((c) => c.store(storeId.value, payload));
      storeKey.value = keyToText(key);
      storeResult.hidden = false;
    });
  });

  copyKey.addEventListener("click", () => {
    void navigator.clipboard?.writeText(storeKey.value).then(
      () => (copyKey.textContent = "Copied"),
      () => (copyKey.textContent = "Select the key and copy it"),
    );
  });

  let objectUrl: string | undefined;
  retrieveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    retrieveResult.hidden = true;
    void busy(retrieveForm, retrieveError, async () => {
      const key = keyFromText(retrieveKey.value);
      const bytes = await withClient((c) => c.retrieve(retrieveId.value, key));
      const { text, size } = describePayload(bytes);
      retrieveSummary.textContent = text === null ? `${size} of binary data` : `${size} of text`;
      retrieveText.textContent = text ?? "";
      retrieveText.hidden = text === null;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }));
      download.href = objectUrl;
      download.download = retrieveId.value.replace(/[^\w.-]+/g, "_").slice(0, 100) || "record";
      retrieveResult.hidden = false;
    });
  });

  deleteButton.addEventListener("click", () => {
    if (!retrieveForm.reportValidity()) return;
    retrieveResult.hidden = true;
    void busy(retrieveForm, retrieveError, async () => {
      const key = keyFromText(retrieveKey.value);
      await withClient((c) => c.delete(retrieveId.value, key));
      retrieveSummary.textContent = "Deleted: the key no longer opens anything";
      retrieveText.hidden = true;
      download.removeAttribute("href");
      retrieveResult.hidden = false;
    });
  });
}
