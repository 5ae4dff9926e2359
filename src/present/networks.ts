// Mobile network codes (MCC + MNC, as Nexmo reports them in `network`) with the operator's name,
// for the networks most messages go to. Codes not listed are shown as they are.

const OPERATORS: ReadonlyMap<string, string> = new Map([
  // United Kingdom
  ['23410', 'O2 UK'],
  ['23415', 'Vodafone UK'],
  ['23420', 'Three UK'],
  ['23430', 'EE'],
  ['23433', 'EE'],
  // Ireland
  ['27201', 'Vodafone Ireland'],
  ['27202', 'Three Ireland'],
  ['27205', 'Three Ireland'],
  // Germany
  ['26201', 'Telekom DE'],
  ['26202', 'Vodafone DE'],
  ['26203', 'O2 DE'],
  ['26207', 'O2 DE'],
  // France
  ['20801', 'Orange France'],
  ['20810', 'SFR'],
  ['20815', 'Free Mobile'],
  ['20820', 'Bouygues Telecom'],
  // Spain, Italy, the Netherlands
  ['21401', 'Vodafone Spain'],
  ['21403', 'Orange Spain'],
  ['21407', 'Movistar'],
  ['22201', 'TIM'],
  ['22210', 'Vodafone Italy'],
  ['22288', 'WindTre'],
  ['20404', 'Vodafone NL'],
  ['20408', 'KPN'],
  // United States, Canada, Australia
  ['310260', 'T-Mobile US'],
  ['310410', 'AT&T'],
  ['311480', 'Verizon'],
  ['302220', 'Telus'],
  ['302610', 'Bell'],
  ['302720', 'Rogers'],
  ['50501', 'Telstra'],
  ['50502', 'Optus'],
  ['50503', 'Vodafone AU'],
]);

/** The operator's name for a network code, when the app knows it. */
export function operatorName(code: string): string | undefined {
  return OPERATORS.get(code.trim());
}

export interface NetworkInfo {
  code: string;
  operator?: string;
  /** "O2 UK (23410)", or the code alone when the operator is not known. */
  text: string;
}

/** A part's `network` as the message page shows it; undefined when Nexmo gave none. */
export function describeNetwork(code: string | undefined): NetworkInfo | undefined {
  const trimmed = code?.trim();
  if (!trimmed) return undefined;
  const operator = operatorName(trimmed);
  return operator ? { code: trimmed, operator, text: `${operator} (${trimmed})` } : { code: trimmed, text: trimmed };
}
