import { MposError } from "../errors";

/** The reader's contactless configuration is wrong, found when it is loaded (code "contactless-config"). */
export class ContactlessConfigError extends MposError {
  constructor(message: string) {
    super("contactless-config", message);
    this.name = "ContactlessConfigError";
  }
}
