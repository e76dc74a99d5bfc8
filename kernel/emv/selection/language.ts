// EMV 4.4 Book 4, 11.1: the terminal shows cardholder messages in the first language of the card's
// Language Preference '5F2D' that it supports, else in its own default language.

export function selectLanguage(cardPreference: readonly string[], terminalLanguages: readonly string[]): string {
  for (const lang of cardPreference) {
    if (terminalLanguages.indexOf(lang) >= 0) return lang;
  }
  return terminalLanguages[0];
}
