import type { MessageName } from "../emv/messages";
import type { ClMessage } from "../contactless/ui";

// What the reader shows the cardholder, in five languages: the standard messages of EMV 4.4 Book 4,
// 11.2, Table 8 (identifiers '01' to '13'), the contactless messages of EMV Contactless Book A,
// 9.4, Table 9-4 ('14' and up), and the reader's own ('80' and up). The identifiers are the ones
// the phone protocol carries (kernel/protocol/message-types.ts, PROMPTS). Book 4, 11.1: a terminal
// shows messages in the cardholder's language where it supports it; English is the default.
// Translations are the reader's own wording, short enough for a 16-column line where possible.

export type Language = "en" | "fr" | "de" | "es" | "zh";
export const LANGUAGES: readonly Language[] = ["en", "fr", "de", "es", "zh"];

interface PromptDef {
  id: number;
  text: Record<Language, string>;
}

function p(id: number, en: string, fr: string, de: string, es: string, zh: string): PromptDef {
  return { id, text: { en, fr, de, es, zh } };
}

export const PROMPT_CATALOG = {
  // Book 4, 11.2, Table 8.
  amount: p(0x01, "AMOUNT", "MONTANT", "BETRAG", "IMPORTE", "金额"),
  amountOk: p(0x02, "AMOUNT OK?", "MONTANT OK ?", "BETRAG OK?", "¿IMPORTE CORRECTO?", "金额正确吗？"),
  approved: p(0x03, "APPROVED", "ACCEPTÉ", "GENEHMIGT", "APROBADA", "交易批准"),
  callYourBank: p(0x04, "CALL YOUR BANK", "APPELEZ VOTRE BANQUE", "BANK ANRUFEN", "LLAME A SU BANCO", "请致电您的银行"),
  cancelOrEnter: p(0x05, "CANCEL OR ENTER", "ANNULER OU VALIDER", "ABBRUCH ODER BESTÄTIGEN", "CANCELAR O ACEPTAR", "取消或确认"),
  cardError: p(0x06, "CARD ERROR", "ERREUR CARTE", "KARTENFEHLER", "ERROR DE TARJETA", "卡片错误"),
  declined: p(0x07, "DECLINED", "REFUSÉ", "ABGELEHNT", "DENEGADA", "交易拒绝"),
  enterAmount: p(0x08, "ENTER AMOUNT", "SAISIR MONTANT", "BETRAG EINGEBEN", "INTRODUZCA IMPORTE", "请输入金额"),
  enterPin: p(0x09, "ENTER PIN", "SAISIR CODE", "PIN EINGEBEN", "INTRODUZCA PIN", "请输入密码"),
  incorrectPin: p(0x0a, "INCORRECT PIN", "CODE FAUX", "FALSCHE PIN", "PIN INCORRECTO", "密码错误"),
  insertCard: p(0x0b, "INSERT CARD", "INSÉRER CARTE", "KARTE EINSTECKEN", "INSERTE TARJETA", "请插卡"),
  notAccepted: p(0x0c, "NOT ACCEPTED", "CARTE NON ACCEPTÉE", "NICHT AKZEPTIERT", "NO ACEPTADA", "不受理"),
  pinOk: p(0x0d, "PIN OK", "CODE BON", "PIN OK", "PIN CORRECTO", "密码正确"),
  pleaseWait: p(0x0e, "PLEASE WAIT", "VEUILLEZ PATIENTER", "BITTE WARTEN", "ESPERE, POR FAVOR", "请稍候"),
  processingError: p(0x0f, "PROCESSING ERROR", "ERREUR DE TRAITEMENT", "VERARBEITUNGSFEHLER", "ERROR DE PROCESO", "处理错误"),
  removeCard: p(0x10, "REMOVE CARD", "RETIRER CARTE", "KARTE ENTNEHMEN", "RETIRE LA TARJETA", "请取卡"),
  useChipReader: p(0x11, "USE CHIP READER", "UTILISER LA PUCE", "CHIP BENUTZEN", "USE EL CHIP", "请使用芯片"),
  useMagStripe: p(0x12, "USE MAG STRIPE", "UTILISER LA PISTE", "MAGNETSTREIFEN BENUTZEN", "USE LA BANDA", "请刷磁条"),
  tryAgain: p(0x13, "TRY AGAIN", "RÉESSAYER", "ERNEUT VERSUCHEN", "INTÉNTELO DE NUEVO", "请重试"),
  // EMV Contactless Book A, 9.4, Table 9-4.
  presentCard: p(0x15, "PRESENT CARD", "PRÉSENTER CARTE", "KARTE VORHALTEN", "ACERQUE LA TARJETA", "请出示卡片"),
  processing: p(0x16, "PROCESSING", "TRAITEMENT EN COURS", "VERARBEITUNG", "PROCESANDO", "处理中"),
  cardReadOk: p(0x17, "CARD READ OK", "CARTE LUE", "KARTE GELESEN", "TARJETA LEÍDA", "读卡成功"),
  insertOrSwipeCard: p(0x18, "INSERT OR SWIPE CARD", "INSÉRER OU GLISSER CARTE", "KARTE STECKEN ODER DURCHZIEHEN", "INSERTE O DESLICE LA TARJETA", "请插卡或刷卡"),
  presentOneCardOnly: p(0x19, "PRESENT ONE CARD ONLY", "UNE SEULE CARTE SVP", "NUR EINE KARTE VORHALTEN", "ACERQUE SOLO UNA TARJETA", "请只出示一张卡"),
  authorising: p(0x1b, "AUTHORISING PLEASE WAIT", "AUTORISATION EN COURS", "AUTORISIERUNG LÄUFT", "AUTORIZANDO, ESPERE", "授权中，请稍候"),
  tryAnotherCard: p(0x1c, "INSERT, SWIPE OR TRY ANOTHER CARD", "INSÉRER, GLISSER OU AUTRE CARTE", "STECKEN, DURCHZIEHEN ODER ANDERE KARTE", "INSERTE, DESLICE O USE OTRA TARJETA", "请插卡、刷卡或换卡"),
  seePhone: p(0x20, "SEE PHONE FOR INSTRUCTIONS", "VOIR LE TÉLÉPHONE", "SIEHE TELEFON", "VEA SU TELÉFONO", "请查看手机"),
  presentCardAgain: p(0x21, "PRESENT CARD AGAIN", "PRÉSENTER À NOUVEAU", "KARTE ERNEUT VORHALTEN", "ACERQUE DE NUEVO", "请再次出示卡片"),
  // The reader's own.
  lastPinTry: p(0x80, "LAST PIN TRY", "DERNIER ESSAI", "LETZTER VERSUCH", "ÚLTIMO INTENTO", "最后一次输入密码"),
  swipeCard: p(0x81, "SWIPE CARD", "GLISSER LA CARTE", "KARTE DURCHZIEHEN", "DESLICE LA TARJETA", "请刷卡"),
  cancelled: p(0x82, "CANCELLED", "ANNULÉ", "ABGEBROCHEN", "CANCELADA", "交易取消"),
  timedOut: p(0x83, "TIME OUT", "DÉLAI DÉPASSÉ", "ZEIT ABGELAUFEN", "TIEMPO AGOTADO", "操作超时"),
  pinEntryLimit: p(0x84, "PIN ENTRY LOCKED", "CODE BLOQUÉ", "PIN-EINGABE GESPERRT", "PIN BLOQUEADO", "密码输入已锁定"),
} as const;

export type Prompt = keyof typeof PROMPT_CATALOG;

/** The prompt text in `language`. */
export function promptText(prompt: Prompt, language: Language): string {
  return PROMPT_CATALOG[prompt].text[language];
}

/** The prompt for a standard message the contact kernel names (Book 4, 11.2). */
export function promptForEmvMessage(message: MessageName): Prompt {
  return message;
}

/** The prompt for a contactless UI request's message (Book A, 9.4); undefined for "clear display". */
export function promptForContactlessMessage(message: ClMessage): Prompt | undefined {
  switch (message) {
    case "approved": return "approved";
    case "notAuthorised": return "declined";
    case "enterPin": return "enterPin";
    case "processingError": return "processingError";
    case "removeCard": return "removeCard";
    case "welcome": return undefined;
    case "presentCard": return "presentCard";
    case "processing": return "processing";
    case "cardReadOk": return "cardReadOk";
    case "insertOrSwipeCard": return "insertOrSwipeCard";
    case "presentOneCardOnly": return "presentOneCardOnly";
    case "approvedPleaseSign": return "approved";
    case "authorisingPleaseWait": return "authorising";
    case "insertSwipeOrTryAnotherCard": return "tryAnotherCard";
    case "pleaseInsertCard": return "insertCard";
    case "clearDisplay": return undefined;
    case "seePhone": return "seePhone";
    case "presentCardAgain": return "presentCardAgain";
  }
}
